"""The .lrmx layout (任免审批表 3.x, root ``<Person>``) and its value conventions.

Pure: no ORM, no Django settings. Followed from files written and read by existing
cadre-management software (element order as the 中组部 任免表编辑器 writes it, Version
3.2.1.16): dates are ``yyyymm`` (six digits; some fields eight, ``yyyymmdd``), the résumé
(JianLi) is one line per post, ``1998.09--2002.07  XX大学学生``, an open end
(``2015.03--``) marking a post still held, and family members are ``<Item>`` children of
``<JiaTingChengYuan>``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# Scalar elements in the order the reference software writes them.
PERSON_FIELDS = (
    "XingMing",  # 姓名
    "XingBie",  # 性别
    "ChuShengNianYue",  # 出生年月 yyyymm
    "MinZu",  # 民族
    "JiGuan",  # 籍贯
    "ChuShengDi",  # 出生地
    "RuDangShiJian",  # 入党时间 yyyymm
    "CanJiaGongZuoShiJian",  # 参加工作时间 yyyymm
    "JianKangZhuangKuang",  # 健康状况
    "ZhuanYeJiShuZhiWu",  # 专业技术职务
    "ShuXiZhuanYeYouHeZhuanChang",  # 熟悉专业有何专长
    "QuanRiZhiJiaoYu_XueLi",  # 全日制教育 学历
    "QuanRiZhiJiaoYu_XueWei",  # 全日制教育 学位
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",  # 毕业院校系及专业
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueLi",  # 在职教育 学历
    "ZaiZhiJiaoYu_XueWei",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi",
    "XianRenZhiWu",  # 现任职务
    "NiRenZhiWu",  # 拟任职务
    "NiMianZhiWu",  # 拟免职务
    "JianLi",  # 简历
    "JiangChengQingKuang",  # 奖惩情况
    "NianDuKaoHeJieGuo",  # 年度考核结果
    "RenMianLiYou",  # 任免理由
    # JiaTingChengYuan (家庭主要成员及重要社会关系) sits here, see FAMILY_FIELDS
    "ChengBaoDanWei",  # 呈报单位
    "JiSuanNianLingShiJian",  # 计算年龄时间 yyyymmdd
    "TianBiaoShiJian",  # 填表时间 yyyymm
    "TianBiaoRen",  # 填表人
    "ShenFenZheng",  # 身份证号
    "ZhaoPian",  # 照片, base64
    "Version",
)
FAMILY_POSITION = PERSON_FIELDS.index("ChengBaoDanWei")
FAMILY_FIELDS = ("ChengWei", "XingMing", "ChuShengRiQi", "ZhengZhiMianMao", "GongZuoDanWeiJiZhiWu")
VERSION = "3.2.1.16"

GENDER_TO_TEXT = {"M": "男", "F": "女"}
TEXT_TO_GENDER = {"男": "M", "女": "F"}


@dataclass
class LrmxPerson:
    """One 任免审批表: every scalar element as text ("" when absent) and the family."""

    fields: dict[str, str] = field(default_factory=dict)
    family: list[dict[str, str]] = field(default_factory=list)

    def __getitem__(self, tag: str) -> str:
        return self.fields.get(tag, "")


# ---- dates -------------------------------------------------------------------------------

_YM = re.compile(
    r"^\s*(\d{4})\s*[.．\-/年]?\s*(\d{1,2})\s*月?(?:\s*[.．\-/]?\s*(\d{1,2})\s*日?)?\s*$"
)


@dataclass(frozen=True)
class YearMonth:
    year: int
    month: int
    day: int | None = None  # only when the text carried one

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


def parse_year_month(text: str) -> YearMonth | None:
    """``199809``, ``1998.09``, ``1998-9``, ``1998年9月``, ``19980915`` → YearMonth; else None.

    Raises ValueError for a month outside 1–12 (a date that is clearly meant but wrong).
    """
    compact = (text or "").strip()
    if not compact:
        return None
    if re.fullmatch(r"\d{6}|\d{8}", compact):
        year, month = int(compact[:4]), int(compact[4:6])
        day = int(compact[6:8]) if len(compact) == 8 else None
    else:
        match = _YM.match(compact)
        if not match:
            return None
        year, month = int(match[1]), int(match[2])
        day = int(match[3]) if match[3] else None
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError(text)
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            day = None
    return YearMonth(year, month, day)


def ym(value: dt.date | None) -> str:
    """A date as lrmx writes it: ``yyyymm`` ("" for none)."""
    return f"{value:%Y%m}" if value else ""


def dotted_ym(value: dt.date | None) -> str:
    """A date as the printed form shows it: ``yyyy.mm``."""
    return f"{value:%Y.%m}" if value else ""


def dotted(text: str) -> str:
    """``198005`` → ``1980.05`` for display; other text unchanged."""
    try:
        parsed = parse_year_month(text)
    except ValueError:
        return text
    return f"{parsed.year:04d}.{parsed.month:02d}" if parsed else text


def age_on(birth: dt.date, on: dt.date) -> int:
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


# ---- education ---------------------------------------------------------------------------

EDUCATION_TO_TEXT = {
    "doctorate": ("博士研究生", "博士"),
    "master": ("硕士研究生", "硕士"),
    "bachelor": ("大学", "学士"),
    "college": ("大专", ""),
    "secondary": ("中专", ""),
}
_EDUCATION_ORDER = ["secondary", "college", "bachelor", "master", "doctorate"]


def education_from_text(xue_li: str, xue_wei: str = "") -> str:
    """The Education code for a 学历 (and 学位) text; "" when unknown."""
    text = (xue_li or "").replace(" ", "")
    degree = xue_wei or ""
    if "博士" in text or ("研究生" in text and "博士" in degree):
        return "doctorate"
    if "研究生" in text or "硕士" in text:
        return "master"
    if "大专" in text or "专科" in text:
        return "college"
    if "大学" in text or "本科" in text:
        return "bachelor"
    if any(word in text for word in ("中专", "中技", "技校", "高中", "中学", "初中", "小学")):
        return "secondary"
    return ""


def highest_education(*codes: str) -> str:
    ranked = [c for c in codes if c]
    return max(ranked, key=_EDUCATION_ORDER.index) if ranked else ""


# ---- names and text ----------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u3000\u00a0]+")


def squeeze(text: str) -> str:
    """Remove every kind of space (forms pad two-character names: 张　三)."""
    return _SPACES.sub("", text or "")


def normalize_ethnicity(text: str, known: list[str]) -> str:
    value = squeeze(text)
    if value and value not in known and value + "族" in known:
        return value + "族"
    return value


def split_unit(text: str, unit_names: list[str]) -> tuple[str, str]:
    """Split ``甲县城关镇党委副书记`` into (unit name, title) by the longest known prefix.

    Without a known unit name the whole text is the title.
    """
    best = ""
    for name in unit_names:
        if name and len(name) > len(best) and text.startswith(name) and len(text) > len(name):
            best = name
    return best, text[len(best) :]
