"""Loading a draft measure's decided cases: which cases it would judge, each cadre's earlier
cases, the version it is compared with, the cost."""

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from core.models import User
from tests.policy_support import TEST_MEASURE
from tests.tolerance.conftest import TOLERABLE_FINDINGS
from tolerance.catalogs import SHAANXI_2016
from tolerance.enums import Advice, Outcome
from tolerance.impact import Impact
from tolerance.impact_load import decided_entries, draft_impact, version_in_force_for
from tolerance.models import AccountabilityMatter, PolicyVersion
from tolerance.policy_data import policy_to_data
from tolerance.rules import Findings

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 12, 7)


def draft_for(code: str, policy=TEST_MEASURE, *, name="草稿") -> PolicyVersion:
    return PolicyVersion.objects.create(
        jurisdiction_code=code, jurisdiction_name=name, code=policy.code, title="草稿办法",
        effective_from=dt.date(2027, 1, 1), content=policy_to_data(policy),
    )


def published_blank(effective_from: dt.date) -> PolicyVersion:
    return PolicyVersion.objects.create(
        jurisdiction_code="", jurisdiction_name="", code=f"blank-{effective_from.year}",
        title="通用办法", effective_from=effective_from, status="published",
        published_at=timezone.now(), content=policy_to_data(SHAANXI_2016),
    )


def test_a_decided_cadre_is_loaded_as_plain_values(flow, world):
    case = flow.decided(outcome=Outcome.EXEMPT)
    draft = draft_for(world.county_a.code)

    [entry] = decided_entries(draft, case.policy_version)

    findings = TOLERABLE_FINDINGS
    assert entry == dataclasses.replace(
        entry,
        key=case.entries.get().pk,
        case=case.reference,
        cadre="张三",
        outcome=Outcome.EXEMPT,
        occurred_on=dt.date(2025, 3, 10),
        earlier=(),
    )
    assert entry.findings == Findings(
        distinctions=findings["distinctions"],
        conditions=findings["conditions"],
        exclusions=findings["exclusions"],
        situations=frozenset(findings["situations"]),
        remedy_taken=True,
        risk_filed=entry.findings.risk_filed,
        severity=findings["severity"],
    )


def test_undecided_cadres_are_not_loaded(flow, world):
    case = flow.deliberating()

    assert decided_entries(draft_for(world.county_a.code), case.policy_version) == []


def test_earlier_cases_of_the_cadre_up_to_the_conduct_are_attached(flow, world):
    first = flow.decided()
    second = flow.decided()
    AccountabilityMatter.objects.filter(pk=first.matter_id).update(
        occurred_on=dt.date(2024, 1, 5)
    )

    by_case = {e.case: e for e in decided_entries(draft_for(world.county_a.code),
                                                  second.policy_version)}

    assert by_case[first.reference].earlier == ()
    [earlier] = by_case[second.reference].earlier
    assert (earlier.number, earlier.outcome, earlier.situations, earlier.occurred_on) == (
        first.reference, Outcome.EXEMPT, frozenset({"SX-01"}), dt.date(2024, 1, 5)
    )


def test_only_cases_inside_the_draft_jurisdiction_are_loaded(flow, world):
    case = flow.decided()
    current = case.policy_version

    assert len(decided_entries(draft_for(world.city.code), current)) == 1
    assert decided_entries(draft_for(world.county_b.code), current) == []
    assert decided_entries(draft_for("999999"), current) == []


def test_cases_judged_under_another_jurisdiction_measure_are_not_loaded(flow, world):
    case = flow.decided()
    jinan = PolicyVersion.objects.get(jurisdiction_code=world.city.code, status="published")

    assert case.policy_version.jurisdiction_code == world.county_a.code
    assert decided_entries(draft_for(world.city.code), jinan) == []


@pytest.mark.parametrize("cases", [1, 3])
def test_loading_costs_the_same_queries_whatever_the_number_of_cases(
    flow, world, django_assert_num_queries, cases
):
    for _ in range(cases):
        case = flow.decided()
    draft, current = draft_for(world.county_a.code), case.policy_version

    # The draft's jurisdiction unit, the decided cadres, their earlier cases.
    with django_assert_num_queries(3):
        assert len(decided_entries(draft, current)) == cases


def test_the_version_in_force_is_the_jurisdiction_own_or_the_one_it_is_judged_under(world):
    county = PolicyVersion.objects.get(jurisdiction_code=world.county_a.code)
    jinan = PolicyVersion.objects.get(jurisdiction_code=world.city.code, status="published")

    assert version_in_force_for(draft_for(world.county_a.code), ON) == county
    assert version_in_force_for(draft_for(world.township_a1.code), ON) == county
    assert version_in_force_for(draft_for(world.bureau.code), ON) == jinan
    assert version_in_force_for(draft_for("999999"), ON) is None


def test_the_blank_jurisdiction_is_compared_with_the_latest_blank_version_in_force(db):
    assert version_in_force_for(draft_for(""), ON) is None

    older = published_blank(dt.date(2016, 1, 1))
    newer = published_blank(dt.date(2020, 1, 1))
    published_blank(dt.date(2030, 1, 1))

    assert version_in_force_for(draft_for(""), ON) == newer
    assert version_in_force_for(draft_for(""), dt.date(2018, 1, 1)) == older


def test_without_a_version_in_force_nothing_is_examined(db):
    assert draft_impact(draft_for("999999"), ON) == (None, Impact(0, ()))


def test_a_draft_dropping_the_found_situation_changes_the_advice(flow, world):
    case = flow.decided()
    stricter = dataclasses.replace(
        TEST_MEASURE, situations=tuple(s for s in TEST_MEASURE.situations if s.code != "SX-01")
    )
    User.objects.create_superuser("root", "root@example.org", "pw-Secret-123")

    current, impact = draft_impact(draft_for(world.county_a.code, stricter), ON)

    assert current == case.policy_version
    assert impact.examined == 1
    [change] = impact.changes
    assert (change.entry.case, change.before, change.after) == (
        case.reference, Advice.EXEMPT, Advice.NOT_TOLERATED
    )

    _, same = draft_impact(draft_for(world.county_a.code), ON)
    assert (same.examined, same.changes) == (1, ())
