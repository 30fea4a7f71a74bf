"""The thresholds an exceptional-promotion request waives, in words: for its page and for
the approval document (promotions.exceptional.documents)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cadres.enums import Rank


def _rank_label(value) -> str:
    try:
        return str(Rank(int(value)).label)
    except (TypeError, ValueError):
        return str(value)


def threshold_text(row: dict) -> str:
    """One stored threshold of a request, in words."""
    p = row.get("params", {})
    code = row.get("code")
    if code == "years_in_rank":
        return _(
            "Years in the current rank: %(years)s full years since %(since)s; the policy asks "
            "at least %(minimum)s."
        ) % p
    if code == "rank_step":
        return _(
            "Rank: from %(current)s to %(target)s, %(steps)s leadership level(s) up; a "
            "normal promotion climbs one."
        ) % {
            "current": _rank_label(p["current"]),
            "target": _rank_label(p["target"]),
            "steps": p["steps"],
        }
    if code == "situation":
        from promotions.proposals.explain import grade_label

        shown = "，".join(f"{y}：{grade_label(g)}" for y, g in sorted(p["grades"].items()))
        return _(
            "Annual grades %(grades)s: %(excellent)s excellent (%(needed)s needed), each "
            "competent or better."
        ) % {"grades": shown, "excellent": p["excellent"], "needed": p["needed"]}
    if code == "warnings":
        return _("Open check-up warnings: %(count)s.") % p
    if code == "matters":
        return _("Accountability matters that still count: %(count)s.") % p
    return str(row)
