"""Impact before publishing: a draft's advice on the jurisdiction's decided cases."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEvent, User
from tests.policy_support import TEST_MEASURE
from tolerance.catalogs import ZHEJIANG_2018, RepeatedErrors
from tolerance.enums import Advice, Outcome
from tolerance.impact import DecidedEntry, advice_changes
from tolerance.policies import policy_draft_from
from tolerance.repeated import EarlierCase

from .test_repeated import CONDUCT, ZJ

EARLIER = EarlierCase("RC2025-00007", Outcome.EXEMPT, frozenset({"ZJ-01"}), "项目审批失误",
                      dt.date(2025, 6, 1))


def entry(key=1, earlier=(EARLIER,), reason=""):
    return DecidedEntry(key, f"RC2026-{key:05d}", "张三", Outcome.EXEMPT, CONDUCT, ZJ, reason,
                        tuple(earlier))


# --- pure --------------------------------------------------------------------------------


def test_dropping_the_repeated_error_rule_changes_only_the_repeated_case_and_says_why():
    draft = dataclasses.replace(ZHEJIANG_2018, repeated_errors=None)

    impact = advice_changes([entry(1), entry(2, earlier=())], ZHEJIANG_2018, draft)

    assert impact.examined == 2
    [change] = impact.changes
    assert (change.entry.key, change.before, change.after) == (
        1, Advice.NOT_TOLERATED, Advice.EXEMPT
    )
    assert "ZJ-01" in [r.code for r in change.added]  # the grounds for exemption
    assert [r.code for r in change.dropped] == ["X4"]
    assert "RC2025-00007" in str(change.dropped[0].text)


def test_the_same_measure_changes_nothing():
    assert advice_changes([entry(1), entry(2)], ZHEJIANG_2018, ZHEJIANG_2018).changes == ()


def test_the_investigators_override_is_respected_under_both():
    draft = dataclasses.replace(
        ZHEJIANG_2018,
        repeated_errors=RepeatedErrors(exclusion="X4", look_back_years=5, effect="refuse"),
    )
    impact = advice_changes([entry(1, reason="性质不同")], ZHEJIANG_2018, draft)
    assert impact.changes == ()


# --- the admin page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_impact_page_lists_the_decided_case_whose_advice_would_differ(flow, staff, world,
                                                                         client):
    decided = flow.decided()  # tolerable findings: exempt under the county measure
    root = User.objects.create_superuser("root", "root@example.org", "pw-Secret-123")
    draft = policy_draft_from(decided.policy_version, actor=root,
                              effective_from=dt.date(2027, 1, 1))
    stricter = dataclasses.replace(
        TEST_MEASURE, situations=tuple(s for s in TEST_MEASURE.situations if s.code != "SX-01")
    )
    from tolerance.policies import policy_version_update
    from tolerance.policy_data import policy_to_data

    policy_version_update(draft, actor=root, content=policy_to_data(stricter))
    client.force_login(root)

    response = client.get(reverse("admin:tolerance_policyversion_impact", args=[draft.pk]))

    assert response.status_code == 200
    impact = response.context["impact"]
    assert impact.examined == 1
    [change] = impact.changes
    assert (change.entry.case, change.before, change.after) == (
        str(decided), Advice.EXEMPT, Advice.NOT_TOLERATED
    )
    assert [r.code for r in change.added] == ["NO-SITUATION"]
    page = response.content.decode()
    assert 'data-testid="impact-row"' in page and str(decided) in page
    event = AuditEvent.objects.get(action="tolerance.policy.impact")
    assert event.after == {"examined": 1, "changed": 1}
