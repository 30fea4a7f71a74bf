"""The proposal list's rows (promotions.proposals.rows): named tuples of the shown columns,
their display strings, and the escaped HTML the page prints."""

from __future__ import annotations

import pytest
from django.urls import reverse

from promotions.models import Proposal
from promotions.proposals.rows import LIST_FIELDS, for_list, proposal_rows, rows_html

pytestmark = pytest.mark.django_db


def test_rows_are_named_tuples_of_the_shown_columns(proposal, django_assert_num_queries):
    with django_assert_num_queries(1):
        (row,) = for_list(Proposal.objects.all())
    assert row._fields == LIST_FIELDS
    assert (row.id, row.cadre__name, row.unit__name) == (
        proposal.pk,
        proposal.cadre.name,
        proposal.unit.name,
    )


def test_display_strings_and_html(proposal):
    Proposal.objects.filter(pk=proposal.pk).update(decision="keep")
    (row,) = proposal_rows(list(for_list(Proposal.objects.all())))
    proposal.refresh_from_db()
    assert row == {
        "year": proposal.year,
        "url": reverse("promotions:proposal", args=[proposal.pk]),
        "cadre": proposal.cadre.name,
        "unit": proposal.unit.name,
        "area": str(proposal.get_area_display()),
        "state": str(proposal.get_state_display()),
        "decision": str(proposal.get_decision_display()),
    }
    html = str(rows_html([row, {**row, "cadre": "<i>&</i>", "decision": ""}]))
    assert html.count('<tr data-testid="proposal-row">') == 2
    assert f"{row['state']} · {row['decision']}</td>" in html
    assert '<a href="{}">&lt;i&gt;&amp;&lt;/i&gt;</a>'.format(row["url"]) in html
    assert "<i>" not in html
    assert str(rows_html([])) == ""
