"""The decider sees the cadre's earlier tolerance cases; the advice applies the measure's
repeated-error rule to them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.policy_support import TEST_MEASURE
from tolerance.models import Case, CaseCadre, PolicyVersion
from tolerance.policies import policy_version_create

pytestmark = pytest.mark.django_db


def _repeated_rule_for_county(world):
    """甲县 revises its measure to add Zhejiang's repeated-error rule (X4, three years)."""
    import dataclasses

    from tolerance.catalogs import RepeatedErrors

    policy = dataclasses.replace(
        TEST_MEASURE,
        repeated_errors=RepeatedErrors(exclusion="X4", look_back_years=3, effect="refuse"),
    )
    return policy_version_create(
        policy,
        actor=None,
        title="甲县支持干部干事创业容错纠错办法",
        issuer="中共甲县县委",
        effective_from=dt.date(2016, 2, 1),
        jurisdiction_code=world.county_a.code,
        publish=True,
    )


def test_the_investigation_page_shows_an_earlier_case_and_the_advice_refuses_citing_it(
    client, flow, staff, world
):
    _repeated_rule_for_county(world)
    first = flow.decided()  # exempt, situation SX-01, conduct 2025-03-10
    second = flow.deliberating()
    assert second.policy_version.policy.repeated_errors is not None
    client.force_login(staff.investigator)

    response = client.get(reverse("tolerance:case_detail", args=[second.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="history"' in page
    assert str(first) in page and "免责" in page
    view = response.context["page"].entry_views[0]
    assert view.summary.advice == "not_tolerated"
    assert view.summary.reasons[0].code == "X4"
    assert str(first) in view.summary.reasons[0].text


def test_without_the_rule_the_earlier_case_is_shown_but_the_advice_stands(
    client, flow, staff, world
):
    first = flow.decided()
    second = flow.deliberating()
    client.force_login(staff.investigator)

    response = client.get(reverse("tolerance:case_detail", args=[second.pk]))

    assert str(first) in response.content.decode()
    assert response.context["page"].entry_views[0].summary.advice == "exempt"


def test_the_cadre_applicant_sees_no_history_panel(client, flow, staff):
    flow.decided()
    second = flow.deliberating()
    client.force_login(staff.cadre)

    response = client.get(reverse("tolerance:case_detail", args=[second.pk]))

    assert 'data-testid="history"' not in response.content.decode()
    assert Case.objects.count() == 2 and CaseCadre.objects.count() == 2
    assert PolicyVersion.objects.filter(jurisdiction_code="370124").count() == 1
