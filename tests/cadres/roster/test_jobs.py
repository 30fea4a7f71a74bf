"""cadres.roster.jobs: the roster import as a background job — registered with its rule,
its upload check, and a run that keeps the importer's all-or-nothing result."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from cadres.models import Cadre
from cadres.roster.jobs import KIND, ROSTER_IMPORT, roster_run
from core.imports import KINDS, ImportRun
from core.uploads import UploadRejected
from tests.cadres.roster.test_importer import good_row, make_xlsx, row_of

pytestmark = pytest.mark.django_db


def run_of(user, data: bytes, progress=None) -> ImportRun:
    heard = progress if progress is not None else []
    return ImportRun(
        job=None, data=data, actor=user, filename="名册.xlsx", options={},
        progress=lambda done, total: heard.append((done, total)),
    )


def test_the_roster_import_is_registered_for_roster_managers(world, personas):
    assert KINDS[KIND] is ROSTER_IMPORT
    assert ROSTER_IMPORT.may_import(personas.clerk_a) is True
    assert ROSTER_IMPORT.may_import(personas.auditor) is False
    with pytest.raises(UploadRejected):
        ROSTER_IMPORT.check(b"PK\x03\x04 not really", {})


def test_a_good_file_gives_counts_progress_and_each_changed_cadre(world, personas):
    heard = []
    data = make_xlsx([good_row(), row_of(world.cadre_a1, {"职级": "乡科级副职"})])
    with translation.override("en"):
        outcome = roster_run(run_of(personas.clerk_a, data, heard))
    assert outcome.ok
    assert outcome.counts == {"created": 1, "updated": 1, "unchanged": 0}
    url = reverse("cadres:detail", args=[world.cadre_a1.pk])
    assert outcome.details == [[{"text": "张三", "url": url}, "Promotion", "职级"]]
    assert heard == [(0, 2), (1, 2), (2, 2)]
    assert Cadre.objects.count() == 4


def test_a_bad_row_writes_nothing_and_reports_its_cells(world, personas):
    data = make_xlsx([good_row(), good_row({"出生日期": "1980-13-45"})])
    with translation.override("en"):
        outcome = roster_run(run_of(personas.clerk_a, data))
    assert outcome.errors == [[3, "出生日期", "1980-13-45", "This date does not exist."]]
    assert (outcome.counts, outcome.details) == ({}, [])
    assert Cadre.objects.count() == 3
