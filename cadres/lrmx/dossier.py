"""The .lrmx elements kept in CadreDossier and FamilyMember, both ways.

Reading is pure (a parsed form → values and the photo checked by content); writing goes
through `dossier_apply` inside the import's transaction. An element the file lacks (or
leaves empty) keeps the stored value: nothing is ever defaulted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass, field

import filetype
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from ..models import Cadre, CadreDossier, FamilyMember
from .schema import FAMILY_FIELDS, PERSON_FIELDS, LrmxPerson

# lrmx element → CadreDossier field
DOSSIER_TAGS = {
    "ChuShengDi": "birthplace",
    "JianKangZhuangKuang": "health",
    "ZhuanYeJiShuZhiWu": "professional_title",
    "ShuXiZhuanYeYouHeZhuanChang": "expertise",
    "QuanRiZhiJiaoYu_XueLi": "full_time_education",
    "QuanRiZhiJiaoYu_XueWei": "full_time_degree",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "full_time_school",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "full_time_degree_school",
    "ZaiZhiJiaoYu_XueLi": "in_service_education",
    "ZaiZhiJiaoYu_XueWei": "in_service_degree",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "in_service_school",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "in_service_degree_school",
    "NiRenZhiWu": "proposed_post",
    "NiMianZhiWu": "proposed_removal",
    "RenMianLiYou": "appointment_reason",
    "JiangChengQingKuang": "rewards_text",
    "NianDuKaoHeJieGuo": "assessment_text",
    "ChengBaoDanWei": "reporting_unit",
    "TianBiaoRen": "filled_by",
    "JiSuanNianLingShiJian": "age_reckoned_on",
}
FAMILY_TO_MODEL = {
    "ChengWei": "relation",
    "XingMing": "name",
    "ChuShengRiQi": "birth",
    "ZhengZhiMianMao": "political_status",
    "GongZuoDanWeiJiZhiWu": "employer_post",
}
# The elements' names on the printed form (the standard's own, in Chinese), for reports.
ELEMENT_LABELS = {
    "XingMing": "姓名",
    "XingBie": "性别",
    "ChuShengNianYue": "出生年月",
    "MinZu": "民族",
    "JiGuan": "籍贯",
    "ChuShengDi": "出生地",
    "RuDangShiJian": "入党时间",
    "CanJiaGongZuoShiJian": "参加工作时间",
    "JianKangZhuangKuang": "健康状况",
    "ZhuanYeJiShuZhiWu": "专业技术职务",
    "ShuXiZhuanYeYouHeZhuanChang": "熟悉专业有何专长",
    "QuanRiZhiJiaoYu_XueLi": "全日制教育学历",
    "QuanRiZhiJiaoYu_XueWei": "全日制教育学位",
    "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "全日制教育毕业院校系及专业",
    "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "全日制教育学位授予院校",
    "ZaiZhiJiaoYu_XueLi": "在职教育学历",
    "ZaiZhiJiaoYu_XueWei": "在职教育学位",
    "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "在职教育毕业院校系及专业",
    "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "在职教育学位授予院校",
    "XianRenZhiWu": "现任职务",
    "NiRenZhiWu": "拟任职务",
    "NiMianZhiWu": "拟免职务",
    "JianLi": "简历",
    "JiangChengQingKuang": "奖惩情况",
    "NianDuKaoHeJieGuo": "年度考核结果",
    "RenMianLiYou": "任免理由",
    "JiaTingChengYuan": "家庭主要成员及重要社会关系",
    "ChengBaoDanWei": "呈报单位",
    "JiSuanNianLingShiJian": "计算年龄时间",
    "TianBiaoShiJian": "填表时间",
    "TianBiaoRen": "填表人",
    "ShenFenZheng": "身份证号",
    "ZhaoPian": "照片",
    "Version": "版本",
}
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/bmp": "bmp", "image/gif": "gif"}
MAX_PHOTO_BYTES = 2 * 2**20
MAX_LENGTHS = {
    name: CadreDossier._meta.get_field(name).max_length
    for name in DOSSIER_TAGS.values()
    if CadreDossier._meta.get_field(name).max_length
}
FAMILY_MAX_LENGTHS = {
    name: FamilyMember._meta.get_field(name).max_length for name in FAMILY_TO_MODEL.values()
}


@dataclass
class DossierReading:
    values: dict[str, str] = field(default_factory=dict)  # only the elements the file has
    family: list[dict[str, str]] | None = None  # None: the file has no family members
    photo: tuple[bytes, str] | None = None  # (content, extension)
    problems: list[str] = field(default_factory=list)


def label(tag: str) -> str:
    return ELEMENT_LABELS.get(tag, tag)


def read_dossier(person: LrmxPerson) -> DossierReading:
    """The dossier values, family and photo a form brings; problems as sentences."""
    reading = DossierReading()
    for tag, name in DOSSIER_TAGS.items():
        value = person[tag]
        if not value:
            continue
        limit = MAX_LENGTHS.get(name)
        if limit and len(value) > limit:
            reading.problems.append(
                _("%(field)s is longer than %(max)d characters.")
                % {"field": label(tag), "max": limit}
            )
            continue
        reading.values[name] = value
    if person.family:
        members = []
        for item in person.family:
            member = {FAMILY_TO_MODEL[k]: item.get(k, "") for k in FAMILY_FIELDS}
            for name, limit in FAMILY_MAX_LENGTHS.items():
                if len(member[name]) > limit:
                    reading.problems.append(
                        _("A family member's entry is longer than %(max)d characters: %(text)s")
                        % {"max": limit, "text": member[name][:20]}
                    )
            if not member["relation"] or not member["name"]:
                reading.problems.append(
                    _("A family member lacks the relation or the name: %(text)s")
                    % {"text": (member["relation"] + member["name"])[:20]}
                )
            members.append(member)
        reading.family = members
    if person["ZhaoPian"]:
        reading.photo = _photo(person["ZhaoPian"], reading.problems)
    return reading


def _photo(text: str, problems: list[str]) -> tuple[bytes, str] | None:
    try:
        content = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        problems.append(_("The photo (ZhaoPian) is not valid base64 data."))
        return None
    if len(content) > MAX_PHOTO_BYTES:
        problems.append(_("The photo is larger than %(mb)d MB.") % {"mb": MAX_PHOTO_BYTES // 2**20})
        return None
    kind = filetype.guess(content)
    if kind is None or kind.mime not in PHOTO_TYPES:
        problems.append(_("The photo is not a JPEG, PNG, BMP or GIF image."))
        return None
    return content, PHOTO_TYPES[kind.mime]


def unknown_elements(person: LrmxPerson) -> list[str]:
    """Elements the file has that the product does not keep (by their names)."""
    known = set(PERSON_FIELDS) | {"JiaTingChengYuan"}
    return sorted(tag for tag in person.fields if tag not in known)


def dossier_changes(dossier: CadreDossier | None, reading: DossierReading) -> dict[str, str]:
    """Field → status ("set", "changed", "same") for what the file brings."""
    statuses = {}
    for name, value in reading.values.items():
        old = getattr(dossier, name, "") if dossier else ""
        statuses[name] = "same" if old == value else ("changed" if old else "set")
    return statuses


def dossier_apply(cadre: Cadre, reading: DossierReading) -> None:
    """Write what the file brings; keep everything it lacks."""
    if not reading.values and reading.family is None and reading.photo is None:
        return
    dossier, _created = CadreDossier.objects.get_or_create(cadre=cadre)
    for name, value in reading.values.items():
        setattr(dossier, name, value)
    if reading.photo is not None:
        content, extension = reading.photo
        digest = hashlib.sha256(content).hexdigest()[:16]
        dossier.photo.save(f"{cadre.pk}-{digest}.{extension}", ContentFile(content), save=False)
    dossier.save()
    if reading.family is not None:
        cadre.family.all().delete()
        FamilyMember.objects.bulk_create(
            FamilyMember(cadre=cadre, order=number, **member)
            for number, member in enumerate(reading.family, start=1)
        )


def photo_base64(dossier: CadreDossier | None) -> str:
    if dossier is None or not dossier.photo:
        return ""
    with dossier.photo.open("rb") as handle:
        return base64.b64encode(handle.read()).decode("ascii")


def family_items(members) -> list[dict[str, str]]:
    model_to_tag = {v: k for k, v in FAMILY_TO_MODEL.items()}
    return [{model_to_tag[n]: getattr(m, n) for n in FAMILY_TO_MODEL.values()} for m in members]
