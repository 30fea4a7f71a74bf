"""Who may do what to a tolerance case, and when: declared once, used everywhere.

Permission predicates take (case, user) and are attached to the transitions in
tolerance.models.case; views and templates ask tolerance.permissions, which calls these.
Conditions take the case only. None of these write; `user` None means the system (a task).
Predicates read `case.entries.all()` and `case.pending_appeals` through prefetch caches
when the caller prefetched them.
"""

from __future__ import annotations

from django.utils import timezone

from core.enums import Role

from .enums import Outcome, StartedBy


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def staff_of(case, user, *roles: str) -> bool:
    """The user holds one of `roles` in the case's competent authority."""
    return _active(user) and user.has_role(*roles) and case.authority_id in user.authority_ids


def _entries(case):
    return list(case.entries.all())


def concerns(case, user) -> bool:
    """The user is one of the cadres the case is about."""
    return (
        _active(user)
        and user.has_role(Role.CADRE)
        and user.cadre_id is not None
        and any(entry.cadre_id == user.cadre_id for entry in _entries(case))
    )


# --- permissions (case, user) -----------------------------------------------------------


def can_submit(case, user) -> bool:
    return _active(user) and case.filed_by_id == user.pk


def can_withdraw(case, user) -> bool:
    return (
        _active(user)
        and case.started_by in StartedBy.applications()
        and case.filed_by_id == user.pk
    )


def can_intake(case, user) -> bool:
    return staff_of(case, user, Role.INTAKE_CLERK, Role.APPROVING_LEADER)


def can_investigate(case, user) -> bool:
    if staff_of(case, user, Role.APPROVING_LEADER):
        return True
    return (
        staff_of(case, user, Role.INVESTIGATOR)
        and case.investigator_id is not None
        and case.investigator_id == user.pk
    )


def can_deliberate(case, user) -> bool:
    return staff_of(case, user, Role.COMMITTEE_MEMBER, Role.APPROVING_LEADER)


def can_publish(case, user) -> bool:
    return staff_of(case, user, Role.INTAKE_CLERK, Role.APPROVING_LEADER)


def can_appeal(case, user) -> bool:
    if not _active(user):
        return False
    if concerns(case, user):
        return True
    return case.started_by == StartedBy.UNIT and case.filed_by_id == user.pk


def can_decide_appeal(case, user) -> bool:
    """The user is the assigned reviewer of an appeal in this case, on the authority's staff."""
    if not staff_of(case, user, *Role.org_department_roles()):
        return False
    from .models.review import Appeal

    return Appeal.objects.filter(entry__case_id=case.pk, reviewer_id=user.pk).exists()


def system_only(case, user) -> bool:
    return user is None


# --- conditions (case) -------------------------------------------------------------------


def pending_appeals(case) -> list:
    from .models.review import AppealState

    cached = getattr(case, "_pending_appeals", None)
    if cached is None:
        from .models.review import Appeal

        cached = list(Appeal.objects.filter(entry__case=case, state=AppealState.PENDING))
        case._pending_appeals = cached
    return cached


def has_investigator(case) -> bool:
    return case.investigator_id is not None


def investigation_complete(case) -> bool:
    entries = _entries(case)
    return (
        bool(case.investigation_report.strip())
        and bool(entries)
        and all(entry.situations is not None for entry in entries)
    )


def entries_without_statement(case) -> list:
    """The cadres of the case whose statement (陈述申辩 / 说明) is not on the record: neither
    their own nor one the investigator heard and wrote down. A statement about the whole
    case counts for a case of one cadre."""
    from .models.case import CaseNote, NoteKind

    entries = _entries(case)
    cached = getattr(case, "_stated_entries", None)
    if cached is None:
        rows = CaseNote.objects.filter(case_id=case.pk, kind=NoteKind.STATEMENT).values_list(
            "entry_id", flat=True
        )
        cached = set(rows)
        if None in cached and len(entries) == 1:
            cached.add(entries[0].pk)
        case._stated_entries = cached
    return [entry for entry in entries if entry.pk not in cached]


def statements_recorded(case) -> bool:
    return not entries_without_statement(case)


def nothing_decided(case) -> bool:
    return not any(entry.outcome for entry in _entries(case))


def everyone_decided(case) -> bool:
    entries = _entries(case)
    return bool(entries) and all(entry.outcome for entry in entries)


def has_exemption(case) -> bool:
    return any(entry.outcome == Outcome.EXEMPT for entry in _entries(case))


def no_pending_appeal(case) -> bool:
    return not pending_appeals(case)


def has_pending_appeal(case) -> bool:
    """An appeal was filed (tolerance.appeals.appeal_file) and awaits its review."""
    return bool(pending_appeals(case))


def appeal_window_open(case) -> bool:
    return case.appeal_due_on is not None and timezone.localdate() <= case.appeal_due_on


def appeal_window_over(case) -> bool:
    return case.appeal_due_on is not None and timezone.localdate() > case.appeal_due_on
