"""cadres.lrmx.dossier: the .lrmx elements kept in CadreDossier and FamilyMember — reading a
form (pure), the change statuses, and writing them (dossier_apply keeps what a file lacks)."""

from __future__ import annotations

import base64
import hashlib
import io

import pytest
from django.utils import translation
from PIL import Image

from cadres.lrmx.dossier import (
    MAX_PHOTO_BYTES,
    DossierReading,
    dossier_apply,
    dossier_changes,
    family_items,
    label,
    photo_base64,
    read_dossier,
    unknown_elements,
)
from cadres.lrmx.schema import LrmxPerson
from cadres.models import CadreDossier, FamilyMember

WIFE = {
    "ChengWei": "妻子",
    "XingMing": "王芳",
    "ChuShengRiQi": "198203",
    "ZhengZhiMianMao": "中共党员",
    "GongZuoDanWeiJiZhiWu": "甲县第一中学教师",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_read_dossier_takes_only_the_elements_the_file_has():
    person = LrmxPerson(
        fields={
            "XingMing": "张三",  # a cadre value, not a dossier one
            "ChuShengDi": "山东济南",
            "JianKangZhuangKuang": "",
            "RenMianLiYou": "工作需要",
            "JiSuanNianLingShiJian": "20251120",
        }
    )
    reading = read_dossier(person)
    assert reading == DossierReading(
        values={
            "birthplace": "山东济南",
            "appointment_reason": "工作需要",
            "age_reckoned_on": "20251120",
        }
    )
    assert reading.family is None
    assert reading.photo is None


def test_read_dossier_refuses_over_long_values_by_their_chinese_name():
    person = LrmxPerson(
        fields={"JiSuanNianLingShiJian": "202511201", "ChuShengDi": "济" * 65, "TianBiaoRen": "李"}
    )
    reading = read_dossier(person)
    assert reading.problems == [
        "出生地 is longer than 64 characters.",
        "计算年龄时间 is longer than 8 characters.",
    ]
    assert reading.values == {"filled_by": "李"}


def test_read_dossier_family_members_and_their_problems():
    person = LrmxPerson(
        family=[
            WIFE,
            {"ChengWei": "儿子"},
            {"ChengWei": "关" * 17, "XingMing": "赵四"},
        ]
    )
    reading = read_dossier(person)
    assert reading.family == [
        {
            "relation": "妻子",
            "name": "王芳",
            "birth": "198203",
            "political_status": "中共党员",
            "employer_post": "甲县第一中学教师",
        },
        {"relation": "儿子", "name": "", "birth": "", "political_status": "", "employer_post": ""},
        {"relation": "关" * 17, "name": "赵四", "birth": "", "political_status": "",
         "employer_post": ""},
    ]  # fmt: skip
    assert reading.problems == [
        "A family member lacks the relation or the name: 儿子",
        "A family member's entry is longer than 16 characters: " + "关" * 17,
    ]


def test_read_dossier_photo_checked_by_content():
    content = png()
    text = base64.b64encode(content).decode()
    wrapped = "\n".join(text[i : i + 20] for i in range(0, len(text), 20))
    reading = read_dossier(LrmxPerson(fields={"ZhaoPian": wrapped}))
    assert reading.problems == []
    assert reading.photo == (content, "png")


@pytest.mark.parametrize(
    "text, problem",
    [
        ("not base64!", "The photo (ZhaoPian) is not valid base64 data."),
        (base64.b64encode(b"%PDF-1.4 a document").decode(),
         "The photo is not a JPEG, PNG, BMP or GIF image."),
        (base64.b64encode(b"\x00" * (MAX_PHOTO_BYTES + 1)).decode(),
         "The photo is larger than 2 MB."),
    ],
)  # fmt: skip
def test_read_dossier_photo_problems(text, problem):
    reading = read_dossier(LrmxPerson(fields={"ZhaoPian": text}))
    assert reading.photo is None
    assert reading.problems == [problem]


def test_label_and_unknown_elements():
    assert label("NiRenZhiWu") == "拟任职务"
    assert label("Other") == "Other"
    person = LrmxPerson(fields={"XingMing": "张三", "ZZ": "", "AA": "x", "JiaTingChengYuan": ""})
    assert unknown_elements(person) == ["AA", "ZZ"]


def test_dossier_changes_compare_with_what_is_stored():
    reading = DossierReading(values={"health": "健康", "birthplace": "济南", "expertise": "法律"})
    stored = CadreDossier(health="健康", birthplace="青岛")
    assert dossier_changes(stored, reading) == {
        "health": "same",
        "birthplace": "changed",
        "expertise": "set",
    }
    assert dossier_changes(None, reading) == {
        "health": "set",
        "birthplace": "set",
        "expertise": "set",
    }


def test_family_items_write_the_members_back_as_elements():
    members = [
        FamilyMember(relation="妻子", name="王芳", birth="198203", political_status="中共党员",
                     employer_post="甲县第一中学教师"),
        FamilyMember(relation="儿子", name="张小"),
    ]  # fmt: skip
    assert family_items(members) == [
        WIFE,
        {"ChengWei": "儿子", "XingMing": "张小", "ChuShengRiQi": "", "ZhengZhiMianMao": "",
         "GongZuoDanWeiJiZhiWu": ""},
    ]  # fmt: skip


@pytest.mark.django_db
def test_dossier_apply_with_nothing_creates_no_dossier(world):
    dossier_apply(world.cadre_a1, DossierReading())
    assert not CadreDossier.objects.filter(cadre=world.cadre_a1).exists()


@pytest.mark.django_db
def test_dossier_apply_writes_values_family_and_photo(world, media):
    cadre = world.cadre_a1
    content = png()
    reading = read_dossier(
        LrmxPerson(
            fields={"JianKangZhuangKuang": "健康", "ZhaoPian": base64.b64encode(content).decode()},
            family=[WIFE, {"ChengWei": "儿子", "XingMing": "张小"}],
        )
    )
    dossier_apply(cadre, reading)
    dossier = CadreDossier.objects.get(cadre=cadre)
    assert dossier.health == "健康"
    digest = hashlib.sha256(content).hexdigest()[:16]
    assert dossier.photo.name == f"cadre-photos/{cadre.pk}-{digest}.png"
    assert (media / dossier.photo.name).read_bytes() == content
    assert photo_base64(dossier) == base64.b64encode(content).decode()
    assert list(cadre.family.values_list("order", "relation", "name")) == [
        (1, "妻子", "王芳"),
        (2, "儿子", "张小"),
    ]


@pytest.mark.django_db
def test_dossier_apply_keeps_what_the_file_lacks(world):
    cadre = world.cadre_a1
    dossier_apply(cadre, DossierReading(values={"health": "健康"}, family=[
        {"relation": "妻子", "name": "王芳", "birth": "", "political_status": "",
         "employer_post": ""},
    ]))  # fmt: skip
    dossier_apply(cadre, DossierReading(values={"birthplace": "济南"}))
    dossier = CadreDossier.objects.get(cadre=cadre)
    assert (dossier.health, dossier.birthplace) == ("健康", "济南")
    assert list(cadre.family.values_list("name", flat=True)) == ["王芳"]
    assert photo_base64(dossier) == ""
    dossier_apply(cadre, DossierReading(family=[]))  # a file with an empty family clears it
    assert not cadre.family.exists()
    assert photo_base64(None) == ""
