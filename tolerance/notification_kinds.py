"""The notifications of tolerance casework: their codes, wording and the case they group
under. Who receives each is decided where it is sent (tolerance.workflow, appeals,
extensions, reminders). Registered by ToleranceConfig.ready."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.notifications import NotificationKind, NotificationTarget
from core.workdays import Deadline, fallback_warning

from .enums import Outcome
from .models.case import DueStage


def holiday_fallback(params: Mapping[str, Any]) -> str:
    """The warning of a due date counted without a holiday schedule, in the reader's
    language (empty when the schedule was there)."""
    years = tuple(params.get("fallback_years") or ())
    return fallback_warning(Deadline(None, years)) or "" if years else ""


def _case(code: str, subject, body="", *extra: str, **options) -> NotificationKind:
    params = ("ref", *extra)
    return NotificationKind(code, subject=subject, body=body, params=params, **options)


REASON = _("Reasons: %(reason)s")

KINDS = (
    _case("tolerance.case.submitted", _("Case %(ref)s submitted: accept it or not")),
    _case("tolerance.case.withdrawn", _("Case %(ref)s withdrawn"), REASON, "reason"),
    _case("tolerance.case.accepted", _("Case %(ref)s accepted for review")),
    _case("tolerance.case.not_accepted", _("Case %(ref)s not accepted"), REASON, "reason"),
    _case(
        "tolerance.case.investigation_assigned",
        _("Case %(ref)s: you are assigned to investigate it"),
    ),
    _case("tolerance.case.referred", _("Case %(ref)s awaits the committee's deliberation")),
    _case(
        "tolerance.case.sent_back",
        _("Case %(ref)s sent back for further investigation"),
        REASON,
        "reason",
    ),
    _case("tolerance.case.rulings_issued", _("Case %(ref)s: rulings issued, feed them back")),
    _case("tolerance.case.fed_back", _("Case %(ref)s: the conclusion is fed back to you")),
    _case("tolerance.case.published", _("Case %(ref)s: the exemption is published")),
    _case("tolerance.case.appealed", _("Case %(ref)s appealed: assign a reviewer")),
    _case("tolerance.case.closed", _("Case %(ref)s closed")),
    _case("tolerance.appeal.assigned", _("Case %(ref)s: an appeal for you to review")),
    _case(
        "tolerance.appeal.decided",
        _("Case %(ref)s: the appeal is decided: %(outcome)s"),
        REASON,
        "outcome",
        "reason",
        labels={"outcome": Outcome},
    ),
    _case(
        "tolerance.case.extended",
        _("Case %(ref)s: %(stage)s extended to %(date)s"),
        REASON,
        "stage",
        "date",
        "reason",
        labels={"stage": DueStage},
    ),
    _case(
        "tolerance.case.due_soon",
        _("Case %(ref)s: %(stage)s due on %(date)s"),
        holiday_fallback,
        "stage",
        "date",
        "fallback_years",
        labels={"stage": DueStage},
    ),
    _case(
        "tolerance.case.overdue",
        _("Case %(ref)s is overdue: %(stage)s was due on %(date)s"),
        holiday_fallback,
        "stage",
        "date",
        "fallback_years",
        labels={"stage": DueStage},
    ),
    _case(
        "tolerance.remedy.overdue",
        _("Remedial measure overdue in case %(ref)s: due on %(date)s, responsible: %(owner)s"),
        _("Measure: %(measure)s"),
        "date",
        "owner",
        "measure",
    ),
)

TARGETS = (
    NotificationTarget("tolerance.case", heading=_("Case %(label)s"), label=lambda c: c.reference),
)
