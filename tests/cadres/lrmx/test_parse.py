"""Reading .lrmx files and their values: pure, no database."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from PIL import Image

from cadres.lrmx.parse import LrmxError, parse_lrmx

ID = "370102198005170016"  # valid: born 1980-05-17, male

SAMPLE = f"""<?xml version="1.0" encoding="utf-8"?>
<Person>
  <XingMing>张　三</XingMing>
  <XingBie>男</XingBie>
  <ChuShengNianYue>198005</ChuShengNianYue>
  <MinZu>汉</MinZu>
  <JiGuan>山东济南</JiGuan>
  <ChuShengDi>山东济南</ChuShengDi>
  <RuDangShiJian>200306</RuDangShiJian>
  <CanJiaGongZuoShiJian>200207</CanJiaGongZuoShiJian>
  <QuanRiZhiJiaoYu_XueLi>大学</QuanRiZhiJiaoYu_XueLi>
  <QuanRiZhiJiaoYu_XueWei>法学学士</QuanRiZhiJiaoYu_XueWei>
  <ZaiZhiJiaoYu_XueLi>在职研究生</ZaiZhiJiaoYu_XueLi>
  <ZaiZhiJiaoYu_XueWei>管理学硕士</ZaiZhiJiaoYu_XueWei>
  <XianRenZhiWu>甲县城关镇党委书记</XianRenZhiWu>
  <NiRenZhiWu>
  </NiRenZhiWu>
  <JianLi>1998.09--2002.07  山东大学法学专业学习
2002.07--2015.03  甲县城关镇科员
  （其间：2005.09--2008.06在中央党校函授学院学习）
2015.03--         甲县城关镇党委书记</JianLi>
  <JiaTingChengYuan>
    <Item>
      <ChengWei>妻子</ChengWei>
      <XingMing>王芳</XingMing>
      <ChuShengRiQi>198203</ChuShengRiQi>
      <ZhengZhiMianMao>中共党员</ZhengZhiMianMao>
      <GongZuoDanWeiJiZhiWu>甲县第一中学教师</GongZuoDanWeiJiZhiWu>
    </Item>
    <Item><ChengWei/><XingMing/></Item>
  </JiaTingChengYuan>
  <ShenFenZheng>{ID}</ShenFenZheng>
  <ZhaoPian></ZhaoPian>
  <Version>3.2.1.16</Version>
</Person>
""".encode()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_parse_lrmx_reads_fields_and_family():
    person = parse_lrmx(SAMPLE)
    assert person["XingMing"] == "张　三"
    assert person["ChuShengNianYue"] == "198005"
    assert person["NiRenZhiWu"] == ""
    assert person["Missing"] == ""
    assert person["JianLi"].splitlines()[0] == "1998.09--2002.07  山东大学法学专业学习"
    assert person.family == [
        {
            "ChengWei": "妻子",
            "XingMing": "王芳",
            "ChuShengRiQi": "198203",
            "ZhengZhiMianMao": "中共党员",
            "GongZuoDanWeiJiZhiWu": "甲县第一中学教师",
        }
    ]


def test_parse_lrmx_gbk_declared_file_is_reencoded():
    text = '<?xml version="1.0" encoding="GB2312"?><Person><XingMing>李四</XingMing></Person>'
    assert parse_lrmx(text.encode("gb2312"))["XingMing"] == "李四"


def test_parse_lrmx_billion_laughs_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b"<Person><XingMing>&lol3;</XingMing></Person>"
    )
    with pytest.raises(LrmxError) as exc:
        parse_lrmx(bomb)
    assert str(exc.value) == (
        "The file contains a DTD or entity declarations, which are refused for safety."
    )


def test_parse_lrmx_external_entity_refused():
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Person><XingMing>&x;</XingMing></Person>"
    )
    with pytest.raises(LrmxError, match="DTD or entity"):
        parse_lrmx(xxe)


def test_parse_lrmx_png_renamed_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    with pytest.raises(LrmxError) as exc:
        parse_lrmx(buffer.getvalue())
    assert str(exc.value) == "The file is a PNG file (image/png), not an .lrmx form."


def test_parse_lrmx_other_root_refused():
    with pytest.raises(LrmxError) as exc:
        parse_lrmx(b"<?xml version='1.0'?><Workbook><XingMing>x</XingMing></Workbook>")
    assert str(exc.value) == (
        "The XML root element is <Workbook>, not <Person>: this is not an .lrmx appointment form."
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (b"   ", "The file is empty."),
        (b"XingMing,XingBie\n", "The file is not XML, so it is not an .lrmx form."),
    ],
)
def test_parse_lrmx_not_xml_refused(data, message):
    with pytest.raises(LrmxError) as exc:
        parse_lrmx(data)
    assert str(exc.value) == message


def test_parse_lrmx_broken_xml_refused():
    with pytest.raises(LrmxError, match=r"^The XML of the file is damaged \(.*line 1"):
        parse_lrmx(b"<Person><XingMing>x</Person>")
