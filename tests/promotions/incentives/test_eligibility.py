"""One cadre's promotion eligibility, read from the evidence and the tolerance conclusions
under the measure of the cadre's jurisdiction."""

import datetime as dt

import pytest

from assessments.enums import Dimension, Grade, TeamGrade
from assessments.models import AnnualAssessment, CheckupWarning, TeamAssessment
from cadres.models import Cadre
from core.policies import PolicyNotInForce
from promotions.incentives.eligibility import cadre_eligibility
from promotions.incentives.rules import MatterFact, WarningFact
from promotions.models import PromotionPolicy
from tolerance.enums import Outcome

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 1)


def grades(cadre, **by_year):
    for year, grade in by_year.items():
        AnnualAssessment.objects.create(cadre=cadre, year=int(year[1:]), unit=cadre.unit,
                                        grade=grade)


def lines(explanation) -> dict:
    return {line.code: (line.status, line.params) for line in explanation.lines}


def test_a_cadre_with_every_clause_met_is_eligible(world):
    cadre = world.cadre_a1  # in rank since 2018-07-01
    grades(cadre, y2022=Grade.BASIC, y2023=Grade.COMPETENT, y2024=Grade.EXCELLENT,
           y2025=Grade.COMPETENT)

    policy, explanation = cadre_eligibility(cadre, as_of=AS_OF)

    assert policy == PromotionPolicy.objects.get(jurisdiction_code=world.county_a.code)
    found = lines(explanation)
    assert found["years_in_rank"] == (
        "ok", {"years": 7, "minimum": 3, "since": dt.date(2018, 7, 1)}
    )
    # Only the three years before the year of the question: 2022's grade is not read.
    assert found["grades"] == ("ok", {
        "grades": {2023: "competent", 2024: "excellent", 2025: "competent"},
        "excellent": 1, "needed": 2,
    })
    assert found["warnings"] == ("ok", {"warnings": []})
    assert found["matters"] == ("ok", {"counting": [], "cleared": []})
    assert found["team"] == ("info", {"grade": None})
    assert explanation.verdict == "eligible"


def test_open_warnings_and_matters_that_count_block(flow, world):
    cadre = world.cadre_a1
    grades(cadre, y2023=Grade.EXCELLENT, y2024=Grade.EXCELLENT, y2025=Grade.COMPETENT)
    warning = CheckupWarning.objects.create(cadre=cadre, dimension=Dimension.LAW,
                                            raised_on=dt.date(2026, 1, 5), reason="预警")
    exempt = flow.decided(outcome=Outcome.EXEMPT)
    lighter = flow.decided(outcome=Outcome.LIGHTER)
    TeamAssessment.objects.create(unit=cadre.unit, year=2025, grade=TeamGrade.GOOD)

    _policy, explanation = cadre_eligibility(cadre, as_of=AS_OF)

    found = lines(explanation)
    assert found["grades"][0] == "priority"
    assert found["warnings"] == ("blocked", {
        "warnings": [WarningFact(warning.pk, Dimension.LAW, dt.date(2026, 1, 5))]
    })
    title = "乡村振兴试点项目资金拨付偏差"
    assert found["matters"] == ("blocked", {
        "counting": [MatterFact(lighter.matter_id, title, "reduced")],
        "cleared": [MatterFact(exempt.matter_id, title, "cleared")],
    })
    assert found["team"] == ("priority", {"grade": "good"})
    assert explanation.verdict == "blocked"


def test_matters_after_the_date_asked_about_are_not_read(flow, world):
    flow.decided(outcome=Outcome.LIGHTER)  # the conduct: 2025-03-10

    _policy, explanation = cadre_eligibility(world.cadre_a1, as_of=dt.date(2025, 3, 9))

    assert lines(explanation)["matters"] == ("ok", {"counting": [], "cleared": []})


def test_short_in_rank_but_strong_is_an_exceptional_priority(world):
    cadre = world.cadre_a1
    Cadre.objects.filter(pk=cadre.pk).update(rank_since=dt.date(2024, 9, 1))
    cadre.refresh_from_db()
    grades(cadre, y2023=Grade.EXCELLENT, y2024=Grade.EXCELLENT, y2025=Grade.COMPETENT)

    _policy, explanation = cadre_eligibility(cadre, as_of=AS_OF)

    assert lines(explanation)["years_in_rank"][0] == "blocked"
    assert (explanation.verdict, explanation.exceptional) == ("priority", True)


def test_without_a_measure_in_force_it_is_refused(world):
    with pytest.raises(PolicyNotInForce):
        cadre_eligibility(world.cadre_a1, as_of=dt.date(2015, 6, 1))
