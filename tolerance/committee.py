"""Keeping an authority's committee roster (集体研究成员名单), audited.

The Django admin (tolerance.admin.CommitteeMemberAdmin) audits the administrator's edits
itself; scripts and seeding call `committee_seat_add`, which checks and audits the same way.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cadres.models import Authority
from core import audit
from core.enums import Role
from core.models import User

from .errors import CaseError
from .models import CommitteeMember


def seat_problem(user: User, authority: Authority) -> str:
    """'' when `user` may sit on `authority`'s committee; else why not."""
    if not user.has_role(Role.COMMITTEE_MEMBER, Role.APPROVING_LEADER):
        return _("Only a committee member or an approving leader can sit on the committee.")
    if authority.pk not in user.authority_ids:
        return _("This person does not work for that authority.")
    return ""


def committee_seat_add(
    authority: Authority, user: User, *, actor: User | None, title: str = ""
) -> CommitteeMember:
    """Put `user` on the authority's roster (again, if their seat had ended)."""
    problem = seat_problem(user, authority)
    if problem:
        raise CaseError(problem)
    with transaction.atomic():
        seat, created = CommitteeMember.objects.select_for_update().get_or_create(
            authority=authority, user=user, defaults={"title": title}
        )
        if not created and seat.active and seat.title == title:
            return seat
        before = None if created else {"title": seat.title, "active": seat.active}
        seat.title, seat.active = title, True
        seat.save()
        audit.record(
            "tolerance.committee.add" if created else "tolerance.committee.update",
            actor=actor,
            obj=seat,
            before=before,
            after={"authority": authority.pk, "user": user.pk, "title": title, "active": True},
            authority_id=authority.pk,
        )
    return seat
