"""Every collection an import brings has a bound from the settings: a file beyond it is
refused through its page with a Chinese message, and nothing is written.

`test_every_import_bound_has_a_case` fails when a new `*_MAX_*` import setting has no case.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.imports.engine import SheetSpec
from assessments.imports.grades import HEADERS as GRADE_HEADERS
from assessments.imports.registry import SHEETS
from cadres.enums import ManagementLevel, PostType, Rank
from cadres.lrmx.build import person_to_xml
from cadres.lrmx.parse import parse_lrmx
from cadres.roster.columns import HEADERS as ROSTER_HEADERS
from core.enums import Role
from tests.assessments.test_imports import grade_row, workbook
from tests.cadres.lrmx.test_importing import lrmx, make_zip
from tests.cadres.roster.test_importer import good_row, make_xlsx
from tests.factories import make_user
from tests.importing import post_import, private_media  # noqa: F401 - autouse

pytestmark = pytest.mark.django_db

BOUND_SETTING = re.compile(r"^(ROSTER_IMPORT|SHEET_IMPORT|LRMX)_MAX_[A-Z_]+$")
WRITTEN_APPS = ("cadres", "assessments")


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in WRITTEN_APPS
        for model in apps.get_app_config(app).get_models()
    }


def _messages(response) -> list[str]:
    """Every refusal the page shows: the form's errors, or the problem of each error row on
    the page of the import job the upload queued (and eager Celery ran)."""
    context = response.context
    if "form" in context:
        return [str(e) for errors in context["form"].errors.values() for e in errors]
    return [row[-1] for row in context["errors"]]


def _shown(client, response):
    """The page a person sees next: the form again, or the job's page."""
    return client.get(response.url) if response.status_code == 302 else response


def _lrmx_post(client, world, data: bytes, name: str):
    return post_import(
        client,
        reverse("cadres:lrmx-import"),
        {
            "file": SimpleUploadedFile(name, data),
            "unit": world.township_a1.pk,
            "management_level": ManagementLevel.COUNTY,
            "rank": Rank.SECTION_DEPUTY,
            "post_type": PostType.LEADERSHIP,
        },
    )


def _resume(lines: int) -> str:
    return "\n".join(f"{2000 + n}.01--{2000 + n}.12  甲县城关镇科员{n}" for n in range(lines))


@dataclass
class Bound:
    setting: str
    value: int  # the bound, made small for the test
    post: Callable  # (client, world) -> response with a file one past the bound
    message: str


def _roster(client, world):
    rows = [good_row({"姓名": name}) for name in ("周七", "吴八", "郑九")]
    return post_import(
        client,
        reverse("cadres:roster-import"),
        {"file": SimpleUploadedFile("roster.xlsx", make_xlsx(rows, ROSTER_HEADERS))},
    )


def _grades(client, world):
    rows = [grade_row(world.cadre_a1, "称职", year=2024 - n) for n in range(3)]
    data = workbook(GRADE_HEADERS, rows)
    return post_import(
        client,
        reverse("assessments:import"),
        {"kind": "grades", "file": SimpleUploadedFile("grades.xlsx", data)},
    )


def _lrmx_files(client, world):
    forms = {f"{name}.lrmx": lrmx(name) for name in ("孙八", "周九", "吴十")}
    return _lrmx_post(client, world, make_zip(forms), "forms.zip")


def _lrmx_bytes(client, world):
    return _lrmx_post(client, world, lrmx("孙八"), "孙八.lrmx")


def _lrmx_resume(client, world):
    return _lrmx_post(client, world, lrmx("孙八", resume=_resume(4)), "孙八.lrmx")


def _lrmx_family(client, world):
    person = parse_lrmx(lrmx("孙八"))
    person.family = [{"ChengWei": "子", "XingMing": f"孙{n}"} for n in range(4)]
    return _lrmx_post(client, world, person_to_xml(person), "孙八.lrmx")


BOUNDS = [
    Bound("ROSTER_IMPORT_MAX_ROWS", 2, _roster, "工作簿超过 2 行，请拆分为多个文件。"),
    Bound("SHEET_IMPORT_MAX_ROWS", 2, _grades, "工作簿超过 2 行，请拆分为多个文件。"),
    Bound("LRMX_MAX_FILES_PER_ZIP", 2, _lrmx_files, "压缩包中的文件超过 2 个，未导入任何内容。"),
    Bound("LRMX_MAX_BYTES", 1024, _lrmx_bytes, ".lrmx 文件超过 1 KB。"),
    Bound(
        "LRMX_MAX_RESUME_LINES", 3, _lrmx_resume, "简历有 4 行，超过允许的 3 行，未导入任何内容。"
    ),
    Bound(
        "LRMX_MAX_FAMILY_MEMBERS",
        3,
        _lrmx_family,
        "表中家庭主要成员及重要社会关系超过 3 人，未导入任何内容。",
    ),
]


def test_every_import_bound_has_a_case():
    declared = {name for name in dir(django_settings) if BOUND_SETTING.match(name)}
    assert declared == {b.setting for b in BOUNDS}


@pytest.mark.parametrize("bound", BOUNDS, ids=[b.setting for b in BOUNDS])
def test_a_file_past_the_bound_is_refused_in_chinese_and_nothing_is_written(
    bound, client, settings, world
):
    setattr(settings, bound.setting, bound.value)
    client.force_login(make_user("bounds_admin", Role.ADMIN))
    before = _row_counts()
    response = _shown(client, bound.post(client, world))
    assert response.status_code in (200, 400)
    assert bound.message in _messages(response)
    assert _row_counts() == before


@pytest.mark.parametrize("kind", [k for k, s in SHEETS.items() if isinstance(s, SheetSpec)])
def test_every_evidence_workbook_is_bounded(kind, client, settings):
    """The evidence workbooks (监测台账, 单位报表, ...) read through the same bounded reader."""
    settings.SHEET_IMPORT_MAX_ROWS = 2
    spec = SHEETS[kind]
    rows = [{h: f"{h}{n}" for h in spec.headers} for n in range(3)]
    written, errors = spec.import_(workbook(spec.headers, rows), actor=make_user("x", Role.ADMIN))
    assert written == 0
    assert [(e.row, e.message) for e in errors] == [(4, "工作簿超过 2 行，请拆分为多个文件。")]


def test_a_sheet_far_past_the_bound_is_refused_before_its_cells_are_read(client, settings, world):
    """A sheet spanning more than twice the bound is refused from its dimensions alone."""
    settings.ROSTER_IMPORT_MAX_ROWS = 2
    rows = [good_row({"姓名": "周七"})] + [{h: "" for h in ROSTER_HEADERS}] * 20
    rows.append(good_row({"姓名": "吴八"}))
    client.force_login(make_user("bounds_admin", Role.ADMIN))
    before = _row_counts()
    response = post_import(
        client,
        reverse("cadres:roster-import"),
        {"file": SimpleUploadedFile("roster.xlsx", make_xlsx(rows, ROSTER_HEADERS))},
    )
    assert [(row[0], row[-1]) for row in _shown(client, response).context["errors"]] == [
        (1, "工作簿超过 2 行，请拆分为多个文件。")
    ]
    assert _row_counts() == before
