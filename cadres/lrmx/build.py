"""Writing an .lrmx file: a cadre and its position history → LrmxPerson → UTF-8 XML.

No queries here: callers pass the cadre (with its unit) and its positions.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only building XML, never parsing
from collections.abc import Iterable

from ..models import Cadre, CadreDossier, FamilyMember, PositionRecord
from .dossier import DOSSIER_TAGS, family_items, photo_base64
from .resume import ResumeEntry, format_resume
from .schema import (
    EDUCATION_TO_TEXT,
    FAMILY_FIELDS,
    FAMILY_POSITION,
    GENDER_TO_TEXT,
    PERSON_FIELDS,
    VERSION,
    LrmxPerson,
    ym,
)


def post_text(unit_name: str, title: str) -> str:
    """How a post reads on the form: the unit then the title (甲县城关镇 + 党委副书记)."""
    if not unit_name or title.startswith(unit_name):
        return title
    return unit_name + title


def resume_entries(positions: Iterable[PositionRecord]) -> list[ResumeEntry]:
    ordered = sorted(positions, key=lambda p: (p.start_date, p.id or 0))
    return [
        ResumeEntry(
            start=p.start_date,
            end=p.end_date,
            text=post_text(p.unit_name or (p.unit.name if p.unit_id else ""), p.title),
        )
        for p in ordered
    ]


def person_from_cadre(
    cadre: Cadre,
    positions: Iterable[PositionRecord],
    *,
    national_id: str,
    today: dt.date,
    filled_by: str = "",
    dossier: CadreDossier | None = None,
    family: Iterable[FamilyMember] = (),
    filled: dict[str, str] | None = None,
) -> LrmxPerson:
    """The form for a cadre. ``national_id`` is what the reader may see (full or masked);
    ``filled`` holds 奖惩情况/年度考核结果 made from the records (cadres.lrmx.sources), which
    win over the text an import kept. The dossier's 填表人 and 计算年龄时间 win over today's,
    so a file imported and exported again comes out the same."""
    xue_li, xue_wei = EDUCATION_TO_TEXT.get(cadre.education, ("", ""))
    values = {
        "XingMing": cadre.name,
        "XingBie": GENDER_TO_TEXT.get(cadre.gender, ""),
        "ChuShengNianYue": ym(cadre.birth_date),
        "MinZu": cadre.ethnicity,
        "JiGuan": cadre.native_place,
        "RuDangShiJian": ym(cadre.party_join_date),
        "CanJiaGongZuoShiJian": ym(cadre.work_start_date),
        "QuanRiZhiJiaoYu_XueLi": xue_li,
        "QuanRiZhiJiaoYu_XueWei": xue_wei,
        "XianRenZhiWu": post_text(cadre.unit.name, cadre.position),
        "JianLi": format_resume(resume_entries(positions)),
        "JiSuanNianLingShiJian": f"{today:%Y%m%d}",
        "TianBiaoShiJian": ym(today),
        "TianBiaoRen": filled_by,
        "ShenFenZheng": national_id,
        "Version": VERSION,
    }
    if dossier is not None:
        for tag, name in DOSSIER_TAGS.items():
            if getattr(dossier, name):
                values[tag] = getattr(dossier, name)
        values["ZhaoPian"] = photo_base64(dossier)
    values.update({tag: text for tag, text in (filled or {}).items() if text})
    return LrmxPerson(
        fields={tag: values.get(tag, "") for tag in PERSON_FIELDS},
        family=family_items(family),
    )


def person_to_xml(person: LrmxPerson, *, note: str = "") -> bytes:
    """UTF-8 XML with the elements in the reference software's order; ``note`` becomes an
    XML comment at the top (readers of the reference software never see it)."""
    root = ET.Element("Person")
    if note:
        root.append(ET.Comment(f" {note} "))
    for index, tag in enumerate(PERSON_FIELDS):
        if index == FAMILY_POSITION:
            family = ET.SubElement(root, "JiaTingChengYuan")
            for member in person.family:
                item = ET.SubElement(family, "Item")
                for name in FAMILY_FIELDS:
                    ET.SubElement(item, name).text = member.get(name, "")
        ET.SubElement(root, tag).text = person[tag]
    ET.indent(root, space="  ")
    out = io.BytesIO()
    ET.ElementTree(root).write(
        out, encoding="utf-8", xml_declaration=True, short_empty_elements=False
    )
    return out.getvalue()


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def lrmx_filename(cadre: Cadre) -> str:
    """``张三_12.lrmx``: the name first as the reference software does, the id for uniqueness."""
    return f"{_UNSAFE.sub('', cadre.name) or 'cadre'}_{cadre.pk}.lrmx"
