"""Eligibility of one cadre, read in a few queries and explained by promotions.incentives.rules."""

from __future__ import annotations

import datetime as dt

from assessments.eligibility import annual_grades, open_warnings
from assessments.models import TeamAssessment
from cadres.models import Cadre
from core.policies import policy_in_force_at
from promotions.policies import KIND
from tolerance.effects import matter_effects
from tolerance.models import AccountabilityMatter

from . import rules


def cadre_eligibility(cadre: Cadre, *, as_of: dt.date):
    """(policy, explanation) for the cadre as of the date, under the measure of the cadre's
    unit's jurisdiction (raises core.policies.PolicyNotInForce)."""
    policy = policy_in_force_at(KIND, cadre.unit, as_of)
    terms = policy.terms
    years = range(as_of.year - terms.grade_years, as_of.year)
    grades = annual_grades([cadre.pk], years).get(cadre.pk, {})
    warnings = [
        rules.WarningFact(w.warning_id, w.dimension, w.raised_on)
        for w in open_warnings([cadre.pk]).get(cadre.pk, [])
    ]
    matters = list(
        AccountabilityMatter.objects.filter(cadres=cadre, occurred_on__lte=as_of).values_list(
            "pk", "title"
        )
    )
    effects = matter_effects((pk, cadre.pk) for pk, _t in matters)
    facts = [
        rules.MatterFact(pk, title, effects[(pk, cadre.pk)].effect.value) for pk, title in matters
    ]
    team = (
        TeamAssessment.objects.filter(unit_id=cadre.unit_id, year=as_of.year - 1)
        .values_list("grade", flat=True)
        .first()
    )
    explanation = rules.eligibility(
        as_of=as_of,
        rank_since=cadre.rank_since,
        grades=grades,
        warnings=warnings,
        matters=facts,
        team_grade=team,
        terms=terms,
    )
    return policy, explanation
