"""The register's rows and orders: the page's sort (kept by an export), each row's case and
cadre, the conclusion a document records."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.utils import timezone, translation

from core.models import IssuedDocument
from register.queries import (
    EXPORT_ORDER,
    REGISTER_ORDER,
    export_order,
    register_rows,
    sort_of,
    subject_reference,
    with_findings,
    with_outcome,
)
from tests.register.support import *  # noqa: F403 - the fixtures

Y = timezone.localdate().year


@pytest.mark.parametrize(("query", "expected"), [
    ("", "-issued"),
    ("sort=kind", "kind"),
    ("sort=-number", "-number"),
    ("sort=-issued", "-issued"),
    ("sort=password", "-issued"),
    ("sort=--kind", "-kind"),
])
def test_sort_of_names_the_pages_sort(query, expected):
    assert sort_of(QueryDict(query)) == expected


def test_export_order_is_the_pages_when_the_sort_was_kept():
    assert export_order({"sort": "number"}) == ("number", "id")
    assert export_order({"sort": "-kind", "kind": "x"}) == ("-kind", "-issued_on", "-id")
    assert export_order({"sort": "-issued"}) == REGISTER_ORDER


def test_export_order_without_a_sort_is_by_date_of_issue():
    assert export_order({}) == EXPORT_ORDER == ("issued_on", "id")
    assert export_order({"sort": ""}) == EXPORT_ORDER


@pytest.mark.django_db
def test_register_rows_record_the_conclusion_and_the_case(ledger):
    rows = {d.number: d for d in register_rows(IssuedDocument.objects.all())}
    ruling, appeal = rows[f"甲组容〔{Y}〕1号"], rows[f"甲组容复〔{Y}〕1号"]
    notice = rows[f"甲组容受〔{Y}〕1号"]
    assert (ruling.outcome, ruling.situations) == ("lighter", ["SX-01"])
    assert (appeal.outcome, appeal.situations) == ("mitigated", ["SX-01"])
    assert (notice.outcome, notice.situations) == (None, None)
    with translation.override("zh-hans"):
        assert {subject_reference(d) for d in (ruling, appeal, notice)} == {ledger.a1.reference}


def test_with_outcome_finds_what_the_recorded_conclusion_says(ledger):
    """The candidates' condition (an entry with the conclusion now or before an appeal)
    leaves out no document whose recorded conclusion matches, appeals included."""
    from tolerance.enums import Outcome

    documents = IssuedDocument.objects.all()
    recorded = {d.pk: d.outcome for d in with_findings(documents)}
    assert {o for o in recorded.values() if o} == {
        Outcome.LIGHTER,
        Outcome.MITIGATED,
        Outcome.NOT_TOLERATED,
    }
    for value in Outcome.values:
        found = set(with_outcome(documents, value).values_list("pk", flat=True))
        assert found == {pk for pk, outcome in recorded.items() if outcome == value}
