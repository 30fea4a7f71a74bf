"""assessments.imports.jobs: every evidence workbook imported as one kind of background
job, the workbook chosen kept in the options; all rows or none."""

from __future__ import annotations

import pytest

from assessments.imports.grades import HEADERS as GRADE_HEADERS
from assessments.imports.jobs import (
    EVIDENCE_IMPORT,
    KIND,
    evidence_run,
    may_import,
    writable_sheets,
)
from assessments.models import AnnualAssessment
from core.imports import KINDS, ImportRefused, ImportRun
from tests.assessments.test_imports import grade_row, workbook

pytestmark = pytest.mark.django_db


def run_of(user, data: bytes, sheet: str = "grades") -> ImportRun:
    return ImportRun(
        job=None, data=data, actor=user, filename="grades.xlsx", options={"sheet": sheet},
        progress=lambda done, total: None,
    )


def test_the_kind_is_offered_to_who_may_write_some_workbook(world, township, personas):
    assert KINDS[KIND] is EVIDENCE_IMPORT
    assert writable_sheets(township.hr) == ["grades", "monthly", "feedback"]
    assert may_import(township.hr) is True
    assert may_import(personas.cadre_a1) is False


def test_a_good_workbook_is_written_and_counted(world, township):
    rows = [grade_row(c, "称职") for c in township.cadres]
    outcome = evidence_run(run_of(township.hr, workbook(GRADE_HEADERS, rows)))
    assert (outcome.counts, outcome.errors) == ({"written": 10}, [])
    assert AnnualAssessment.objects.count() == 10


def test_a_bad_row_writes_nothing_and_an_unreadable_file_is_one_error(world, township):
    rows = [grade_row(c, "称职") for c in township.cadres]
    rows[3]["考核等次"] = "良好"
    outcome = evidence_run(run_of(township.hr, workbook(GRADE_HEADERS, rows)))
    assert [row[:3] for row in outcome.errors] == [[5, "考核等次", "良好"]]
    assert not AnnualAssessment.objects.exists()
    broken = evidence_run(run_of(township.hr, b"PK\x03\x04broken"))
    assert [row[:3] for row in broken.errors] == [[0, "", ""]]


def test_a_workbook_the_requester_may_not_write_refuses_the_run(world, township):
    with pytest.raises(ImportRefused):
        evidence_run(run_of(township.hr, workbook(GRADE_HEADERS, []), sheet="incidents"))
