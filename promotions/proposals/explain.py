"""Sentences for people: evidence rows, rule clauses and eligibility lines, translated."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.enums import Grade, LeaderRole, Severity, TargetGrade
from tolerance.enums import Outcome

CLAUSES = {
    "target.poor": gettext_lazy("Target-responsibility grade 'poor' this year"),
    "target.average": gettext_lazy("Target-responsibility grade 'average' in consecutive years"),
    "monitoring.drops": gettext_lazy(
        "Among the largest drops of the monitoring rank in consecutive years"
    ),
    "poverty.missed": gettext_lazy("The year's poverty-reduction target was not met"),
    "environment.mishandled": gettext_lazy(
        "Serious environmental event not handled in time or mishandled"
    ),
    "work_safety.especially_serious": gettext_lazy("An especially serious work-safety accident"),
    "work_safety.serious": gettext_lazy("Serious work-safety accidents in one year"),
    "stability.especially_serious": gettext_lazy(
        "An especially serious mass or public-safety incident"
    ),
    "stability.serious": gettext_lazy("Serious mass or public-safety incidents in one year"),
    "party_building.criticized": gettext_lazy("Party-building violation with circulated criticism"),
    "staff": gettext_lazy("Proposed by staff"),
    "grade.incompetent": gettext_lazy("Individual annual grade 'incompetent'"),
    "grade.incompetent_despite_exemption": gettext_lazy(
        "Individual annual grade 'incompetent', standing despite a tolerance exemption"
    ),
}


def clause_label(code: str) -> str:
    return str(CLAUSES.get(code, code))


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def evidence_line(row: dict) -> str:
    kind = row.get("kind")
    if kind == "target":
        return _("%(year)s target-responsibility grade: %(grade)s") % {
            "year": row["year"],
            "grade": _label(TargetGrade, row["grade"]),
        }
    if kind == "rank":
        return _("%(year)s monitoring rank %(rank)s (last year %(previous)s, down %(drop)s)") % {
            "year": row["year"],
            "rank": row["rank"],
            "previous": row["previous"],
            "drop": row["rank"] - row["previous"],
        }
    if kind == "poverty":
        return _("%(year)s poverty reduction: %(achieved)s of a target of %(target)s persons") % {
            "year": row["year"],
            "achieved": row["achieved"],
            "target": row["target"],
        }
    if kind == "incident":
        text = _("%(date)s %(title)s (%(severity)s; %(role)s)") % {
            "date": row["date"],
            "title": row["title"],
            "severity": _label(Severity, row["severity"]),
            "role": _label(LeaderRole, row["role"]),
        }
        if row.get("effect") == "reduced":
            text += _(" — tolerance ruling: %(outcome)s") % {
                "outcome": _label(Outcome, row.get("outcome"))
            }
        return text
    if kind == "grade":
        text = _("%(year)s annual assessment grade: %(grade)s") % {
            "year": row["year"],
            "grade": _label(Grade, row["grade"]),
        }
        if row.get("exempted"):
            text += _(" — exempted that year for: %(matters)s; the grade stands because: "
                      "%(reason)s") % {
                "matters": "、".join(m["title"] for m in row["exempted"]),
                "reason": row.get("exemption_reason", ""),
            }
        return text
    if kind == "situation":
        return _("Situation: %(title)s") % {"title": row.get("title", "")}
    if kind == "note":
        return str(row.get("text", ""))
    return str(row)


def grade_label(value: str | None) -> str:
    return _label(Grade, value) if value else _("no grade")
