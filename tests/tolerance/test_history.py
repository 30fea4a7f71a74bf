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

    from tolerance.policy_types import RepeatedErrors

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


def test_the_investigator_records_not_the_same_error_and_the_advice_no_longer_excludes(
    client, flow, staff, world
):
    from core.models import AuditEvent
    from tolerance.investigation import entry_record_findings
    from tolerance.workflow import case_transition

    from .conftest import TOLERABLE_FINDINGS

    _repeated_rule_for_county(world)
    first = flow.decided()
    second = flow.investigating()
    entry = second.entries.get()
    entry_record_findings(
        entry,
        actor=staff.investigator,
        **TOLERABLE_FINDINGS,
        not_same_error_reason="前案为资金拨付，本案为项目审批，性质不同",
    )
    event = AuditEvent.objects.filter(action="tolerance.findings.record").latest("id")
    assert event.after["not_same_error_reason"] == "前案为资金拨付，本案为项目审批，性质不同"
    flow.statement(second, entry)
    from tolerance.investigation import case_update_report

    second = case_update_report(second, actor=staff.investigator, report="调查报告正文")
    second = case_transition(second, actor=staff.investigator, action="refer")
    client.force_login(staff.members[0])

    response = client.get(reverse("tolerance:case_detail", args=[second.pk]))

    view = response.context["page"].entry_views[0]
    assert view.summary.advice == "exempt"
    assert str(first) in view.summary.reasons[-1].text
    assert "前案为资金拨付，本案为项目审批，性质不同" in view.summary.reasons[-1].text
    assert 'data-testid="not-same-error"' in response.content.decode()


def test_the_decision_follows_the_repeated_error_advice(flow, staff, world):
    """Without the override the committee's exemption departs from the advice (不予容错) and
    needs a reason; the advice recorded at the decision is the repeated-error advice."""
    from tolerance.deliberation import entry_decide
    from tolerance.errors import CaseError

    _repeated_rule_for_county(world)
    flow.decided()
    second = flow.deliberating()
    meeting = flow.meeting(second)
    entry = second.entries.get()

    with pytest.raises(CaseError) as refused:
        entry_decide(entry, actor=staff.members[0], outcome="exempt", reason="符合容错情形",
                     meeting=meeting)

    assert refused.value.field == "departure_reason"
    decided = entry_decide(entry, actor=staff.members[0], outcome="exempt",
                           reason="符合容错情形", meeting=meeting,
                           departure_reason="集体研究认为两次失误情节不同")
    assert decided.advice_at_decision == "not_tolerated"
    assert decided.departs_from_advice is True
    assert decided.relied_on[0] == "X4"


def test_the_history_lists_accountability_matters_and_clarifications(flow, staff, world):
    from tolerance.history import cadre_histories
    from tolerance.models import AccountabilityMatter

    first = flow.decided()
    other = AccountabilityMatter.objects.create(
        title="信访事项处置不及时", description="群众来信超期答复。",
        occurred_on=dt.date(2024, 6, 1), action="通报批评", action_by="县委办",
    )
    other.cadres.add(world.cadre_a1)

    history = cadre_histories([world.cadre_a1.pk])[world.cadre_a1.pk]

    assert [row.case_id for row in history.cases] == [first.pk]
    # the first case's matter is shown with the case; the other matter on its own
    assert [m.title for m in history.matters] == ["信访事项处置不及时"]
    assert history.clarifications == []


def test_the_cadre_page_shows_the_same_history(client, flow, staff, world):
    first = flow.decided()
    client.force_login(staff.investigator)

    response = client.get(reverse("cadres:detail", args=[world.cadre_a1.pk]))

    page = response.content.decode()
    assert 'data-testid="cadre-history"' in page
    assert str(first) in page and "乡村振兴试点项目资金拨付偏差" in page and "免除责任" in page


def test_the_cadre_does_not_see_the_history_on_their_own_page(client, flow, staff, world):
    flow.decided()
    client.force_login(staff.cadre)

    response = client.get(reverse("cadres:detail", args=[world.cadre_a1.pk]))

    assert 'data-testid="cadre-history"' not in response.content.decode()


def _history_page(client, cadre_pk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cadres:detail", args=[cadre_pk]))
    return response, len(queries)


def test_the_history_panel_shows_at_most_the_declared_rows_and_says_how_many(
    client, flow, staff, world, settings
):
    settings.CADRE_HISTORY_MAX_ROWS = 1
    older = flow.decided()
    client.force_login(staff.investigator)
    _history_page(client, world.cadre_a1.pk)  # the first request of a session does more
    response, queries_with_one = _history_page(client, world.cadre_a1.pk)
    assert response.content.decode().count('data-testid="history-case"') == 1
    assert 'data-testid="history-cut"' not in response.content.decode()

    newer = flow.decided()
    response, queries_with_two = _history_page(client, world.cadre_a1.pk)

    page = response.content.decode()
    assert page.count('data-testid="history-case"') == 1
    assert str(newer) in page and f">{older}<" not in page
    assert "共 2 条，仅显示最近 1 条。" in page
    timeline = reverse("register:timeline", args=[world.cadre_a1.pk])
    assert f'<a href="{timeline}">查看该干部完整时间线</a>' in page
    assert queries_with_two == queries_with_one  # pinned: one more case, no more queries
    history = response.context["tolerance_history"]
    assert [row.case_id for row in history.cases] == [newer.pk, older.pk]
    assert [row.case_id for row in history.cases_shown] == [newer.pk]
