"""Exceptional-promotion requests (破格提拔, Jinan seed 000): access, creation, workflow.

A request names the cadre, the target post and rank, the situation of the jurisdiction's
catalog (policy data) that applies, and the reasons. The thresholds it waives are computed
from the cadre's data against the policy version (promotions.exceptional.rules) when drafted and
again when submitted. draft → submitted → approved / rejected, through
`exceptional_transition` only.

Who sees a request: administrators; staff and auditors of its authority; the cadre, once
it is submitted (a draft is the department's working paper). Organization-department staff
of the authority draft and submit; its approving leaders approve or reject.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from assessments.eligibility import annual_grades, open_warnings
from cadres.enums import CadreStatus, Rank
from cadres.models import Cadre
from core import audit, fsm
from core.enums import Role
from core.errors import StateChanged
from core.models import User
from core.notifications import notify
from core.outbox import enqueue
from promotions.enums import ExceptionalState as S
from promotions.grounds.services import acting_authority
from promotions.models import ExceptionalRequest, PromotionPolicy
from promotions.policies import policy_in_force
from tolerance.effects import matter_effects
from tolerance.models import AccountabilityMatter

from .rules import ExceptionalCheck, exceptional_check

ACTIONS = ("submit", "approve", "reject")  # declared on ExceptionalRequest (django-fsm)
BLOCKED_REASONS = {
    "years_in_rank": gettext_lazy(
        "the years in rank are below the minimum and this policy does not let them be waived"
    ),
    "rank_step": gettext_lazy(
        "the target rank skips a level and this policy does not let that be waived"
    ),
    "situation": gettext_lazy("the cadre's annual grades do not meet the chosen situation"),
    "warnings": gettext_lazy("an open check-up warning"),
    "matters": gettext_lazy("an accountability matter that still counts"),
}


# --------------------------------------------------------------- access


def visible_request_paths(user: User) -> list[Q] | None:
    """The access paths to requests (None: everything): one per authority the user is
    staff or auditor of, and the cadre's own requests once submitted. Their OR is
    visible_requests; each is served by an index in the list's order."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_administrator:
        return None
    paths = []
    if user.has_role(*Role.authority_staff_roles(), Role.AUDITOR):
        paths += [Q(authority_id=pk) for pk in sorted(user.authority_ids)]
    if user.has_role(Role.CADRE) and user.cadre_id is not None:
        paths.append(Q(cadre_id=user.cadre_id) & ~Q(state=S.DRAFT))
    return paths


def visible_requests(user: User) -> QuerySet[ExceptionalRequest]:
    paths = visible_request_paths(user)
    if paths is None:
        return ExceptionalRequest.objects.all()
    q = Q(pk__in=[])
    for path in paths:
        q |= path
    return ExceptionalRequest.objects.filter(q)


def get_request_for_user(user: User, pk: int) -> ExceptionalRequest:
    found = (
        visible_requests(user)
        .select_related("cadre", "unit", "authority", "policy", "created_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such request")
    return found


def can_request(user: User, cadre: Cadre) -> bool:
    return acting_authority(user, cadre) is not None


def can_submit(user: User, request: ExceptionalRequest) -> bool:
    if user.is_administrator:
        return True
    if not user.has_role(*Role.org_department_roles()):
        return False
    return request.authority_id in user.authority_ids


def can_decide(user: User, request: ExceptionalRequest) -> bool:
    if user.is_administrator:
        return True
    if not user.has_role(Role.APPROVING_LEADER):
        return False
    return request.authority_id in user.authority_ids


def can_act_on(user: User, request: ExceptionalRequest, action: str) -> bool:
    return can_submit(user, request) if action == "submit" else can_decide(user, request)


def exceptional_actions(user: User, request: ExceptionalRequest) -> list[str]:
    """The actions the page offers: declared from the request's state, and the user's to take."""
    return [a for a in fsm.allowed_names(request, ACTIONS) if can_act_on(user, request, a)]


# --------------------------------------------------------------- thresholds


def check_cadre(
    cadre: Cadre,
    *,
    target_rank: int,
    situation_code: str,
    policy: PromotionPolicy,
    as_of: dt.date,
) -> ExceptionalCheck:
    """The thresholds for this cadre now: four queries (grades, warnings, matters and
    their tolerance effects), then the pure rule."""
    terms, ex = policy.terms, policy.jinan.exceptional
    situation = ex.situation(situation_code)
    grades = annual_grades([cadre.pk], range(as_of.year - terms.grade_years, as_of.year))
    matters = list(
        AccountabilityMatter.objects.filter(cadres=cadre, occurred_on__lte=as_of).values_list(
            "pk", flat=True
        )
    )
    effects = matter_effects((pk, cadre.pk) for pk in matters)
    return exceptional_check(
        as_of=as_of,
        current_rank=cadre.rank,
        rank_since=cadre.rank_since,
        target_rank=target_rank,
        situation=situation,
        grades=grades.get(cadre.pk, {}),
        open_warnings=len(open_warnings([cadre.pk]).get(cadre.pk, [])),
        counting_matters=sum(1 for pk in matters if effects[(pk, cadre.pk)].counts),
        terms=terms,
        ex=ex,
    )


def as_data(check: ExceptionalCheck) -> list[dict]:
    return [{"code": t.code, "status": t.status, "params": t.params} for t in check.thresholds]


# --------------------------------------------------------------- services


def exceptional_create(
    cadre: Cadre,
    *,
    actor: User,
    target_title: str,
    target_rank: int,
    situation: str,
    reasons: str,
) -> ExceptionalRequest:
    """Draft a request under the policy in force today; thresholds computed and stored."""
    authority = acting_authority(actor, cadre)
    if authority is None:
        raise PermissionDenied(_("You may not request the promotion of this cadre."))
    today = timezone.localdate()
    policy = policy_in_force(authority, today)
    ex = policy.jinan.exceptional
    errors: dict[str, str] = {}
    if ex is None:
        raise ValidationError(
            _("The policy in force lists no situations for exceptional promotion.")
        )
    found = ex.situation(situation)
    if found is None:
        errors["situation"] = _("Choose one of the situations of the policy in force.")
    if target_rank not in Rank.values:
        errors["target_rank"] = _("Choose the target rank.")
    elif target_rank <= cadre.rank:
        errors["target_rank"] = _("The target rank must be above the cadre's current rank.")
    if not target_title.strip():
        errors["target_title"] = _("Give the target post.")
    if not reasons.strip():
        errors["reasons"] = _("Give the reasons for the exceptional promotion.")
    if cadre.status != CadreStatus.SERVING:
        errors["cadre"] = _("Only a serving cadre can be promoted.")
    if errors:
        raise ValidationError(errors)
    check = check_cadre(
        cadre, target_rank=target_rank, situation_code=situation, policy=policy, as_of=today
    )
    with transaction.atomic():
        request = ExceptionalRequest.objects.create(
            authority=authority,
            cadre=cadre,
            unit_id=cadre.unit_id,
            current_rank=cadre.rank,
            target_title=target_title.strip(),
            target_rank=target_rank,
            situation=found.code,
            situation_title=found.title,
            policy=policy,
            thresholds=as_data(check),
            reasons=reasons.strip(),
            created_by=actor,
        )
        audit.record(
            "promotions.exceptional.create",
            actor=actor,
            obj=request,
            after={
                "state": request.state,
                "situation": found.code,
                "target_rank": target_rank,
                "waived": list(check.waived),
                "policy": policy.pk,
            },
            reason=request.reasons[:500],
            authority_id=authority.pk,
        )
    return request


NOTICES = {
    "submit": "promotions.exceptional.submitted",
    "approve": "promotions.exceptional.approved",
    "reject": "promotions.exceptional.rejected",
}


def _told(request: ExceptionalRequest, action: str) -> list[User | None]:
    """Who is told of each step: a submitted request, the approving leaders (they approve or
    reject it); a decision, the staff member who drafted it and the cadre (who sees the
    request once submitted)."""
    if action == "submit":
        return list(
            User.objects.filter(
                authorities=request.authority_id,
                groups__name=Role.APPROVING_LEADER,
                is_active=True,
            ).distinct()
        )
    return [request.created_by, *User.objects.filter(is_active=True, cadre=request.cadre_id)]


def exceptional_transition(
    request: ExceptionalRequest, *, actor: User, action: str, reason: str = ""
) -> ExceptionalRequest:
    """THE only function that changes a request's state: lock, check, write, audit, notify."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    reason = reason.strip()
    with transaction.atomic():
        locked = (
            ExceptionalRequest.objects.select_for_update()
            .select_related("cadre__unit", "policy")
            .get(pk=request.pk)
        )
        if not can_act_on(actor, locked, action):
            raise PermissionDenied(_("You may not act on this request."))
        if not can_proceed(getattr(locked, action)):
            raise StateChanged(
                _("Someone else was faster: the request is now “%(state)s”.")
                % {"state": locked.get_state_display()},
                state=locked.get_state_display(),
            )
        before = {"state": locked.state}
        now = timezone.now()
        if action == "submit":
            check = check_cadre(
                locked.cadre,
                target_rank=locked.target_rank,
                situation_code=locked.situation,
                policy=locked.policy,
                as_of=timezone.localdate(),
            )
            locked.thresholds = as_data(check)
            if check.blocked:
                raise ValidationError(
                    _("The request cannot be submitted: %(items)s.")
                    % {"items": "；".join(str(BLOCKED_REASONS[c]) for c in check.blocked)}
                )
            if not check.waived:
                raise ValidationError(
                    _(
                        "Nothing needs waiving: the cadre meets every threshold, so this is an "
                        "ordinary promotion, not an exceptional one."
                    )
                )
            locked.submitted_at = now
        else:
            if action == "reject" and not reason:
                raise ValidationError({"reason": _("Give the reason for rejecting.")})
            locked.decided_at, locked.decided_by, locked.decision_reason = now, actor, reason
        getattr(locked, action)()
        locked.updated_at = now
        locked.save()
        after = {"state": locked.state}
        if action == "submit":
            after["waived"] = locked.waived
        audit.record(
            f"promotions.exceptional.{action}",
            actor=actor,
            obj=locked,
            before=before,
            after=after,
            reason=reason,
            authority_id=locked.authority_id,
        )
        if action == "approve":
            # the approval's document: drafted for its sign-off by the task, after the commit
            enqueue("promotions.tasks.issue_exceptional_document", request_id=locked.pk)
        params = {"name": locked.cadre.name}
        if action == "reject":
            params["reason"] = reason
        notify(
            (user for user in _told(locked, action) if user != actor),
            NOTICES[action],
            params=params,
            target=locked,
            url=f"/promotions/exceptional/{locked.pk}/",
        )
    return locked
