"""Writes on petitions and clarifications: each one transaction, each one audit row.

Audit rows never contain the informant's identity: `_public` lists the only fields that may
appear in before/after, and the petition's string (copied into the row) is its reference.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import pgettext
from django_fsm import can_proceed

from core import audit
from core.models import User
from core.notifications import notify
from tolerance.clearances import matter_clear

from .enums import PetitionOutcome, PetitionState, SubjectKind
from .errors import ClarificationError, PetitionStateChanged
from .models import Clarification, Petition
from .permissions import can_handle, handling_authority_ids

PETITION_ACTIONS = ("verify", "conclude")
NOTICES = {
    "verify": "clarifications.petition.verifying",
    "conclude": "clarifications.petition.concluded",
}

# Fields of a petition that audit rows may show. Not informant_name / informant_contact.
AUDITED_FIELDS = (
    "received_on",
    "channel",
    "subject_kind",
    "cadre",
    "unit",
    "matter",
    "anonymous",
    "state",
    "explanation_heard_on",
    "outcome",
    "concluded_on",
    "referred_to",
    "accuser_result_on",
)


def _t(text: str) -> str:
    return pgettext("clarifications", text)


def _public(petition: Petition) -> dict:
    values = {}
    for name in AUDITED_FIELDS:
        field = Petition._meta.get_field(name)
        value = getattr(petition, field.attname)
        values[name] = value.isoformat() if isinstance(value, dt.date) else value
    return values


def _lock(petition: Petition, actor: User) -> Petition:
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if not can_handle(actor, petition):
        raise ClarificationError(_t("Only the handling staff of this authority can do this."))
    return petition


def _ready_to_conclude(petition: Petition) -> bool:
    return petition.subject_kind != SubjectKind.CADRE or bool(petition.explanation.strip())


def petition_transition(
    petition: Petition, *, actor: User, action: str, changes: dict, reason: str = ""
) -> Petition:
    """THE one function that changes a petition's state (declared on Petition).

    Locks the petition, checks the handler and the declared transition, writes the fields
    that go with the step, audits (never the informant's identity) and notifies the other
    handler of the petition, all in one transaction. Raises ClarificationError, changing
    nothing (PetitionStateChanged, naming the state now, when someone else acted first).
    """
    if action not in PETITION_ACTIONS:
        raise ValueError(f"unknown petition action {action!r}")
    with transaction.atomic():
        petition = _lock(petition, actor)
        method = getattr(petition, action)
        if not can_proceed(method):
            if action == "conclude" and petition.state == PetitionState.RECEIVED:
                raise ClarificationError(
                    _t("Record the verification, with the cadre's explanation, first.")
                )
            if petition.state == PetitionState.CONCLUDED:
                raise PetitionStateChanged(
                    _t("The petition is concluded."),
                    state=PetitionState(petition.state).label,
                )
            raise PetitionStateChanged(state=PetitionState(petition.state).label)
        if action == "conclude" and not _ready_to_conclude(petition):
            raise ClarificationError(
                _t("Record the verification, with the cadre's explanation, first.")
            )
        before = _public(petition)
        for name, value in changes.items():
            setattr(petition, name, value)
        method()
        petition.save()
        old, new = audit.diff(before, _public(petition))
        after = dict(new)
        if action == "verify":
            after["findings_length"] = len(petition.findings)
        audit.record(
            f"clarifications.petition.{action}",
            actor=actor,
            obj=petition,
            before=old,
            after=after,
            reason=reason,
            authority_id=petition.authority_id,
        )
        # The other handlers of the petition (who registered it, who verifies it).
        notify(
            (user for user in (petition.created_by, petition.verifier) if user != actor),
            NOTICES[action],
            params={"ref": petition.reference, "by": str(actor)},
            target=petition,
            url=reverse("clarifications:petition", args=[petition.pk]),
        )
    return petition


def petition_create(
    *,
    actor: User,
    authority,
    received_on: dt.date,
    channel: str,
    allegations: str,
    cadre=None,
    unit=None,
    matter=None,
    anonymous: bool = False,
    informant_name: str = "",
    informant_contact: str = "",
) -> Petition:
    if authority.pk not in handling_authority_ids(actor):
        raise ClarificationError(_t("Only the handling staff of this authority can do this."))
    if (cadre is None) == (unit is None):
        raise ClarificationError(_t("Name either the cadre or the unit reported on."))
    if not allegations.strip():
        raise ClarificationError(_t("Write the allegations."))
    if anonymous and (informant_name or informant_contact):
        raise ClarificationError(_t("An anonymous report has no informant name or contact."))
    with transaction.atomic():
        petition = Petition.objects.create(
            authority=authority,
            received_on=received_on,
            channel=channel,
            subject_kind=SubjectKind.CADRE if cadre is not None else SubjectKind.UNIT,
            cadre=cadre,
            unit=unit,
            matter=matter,
            allegations=allegations,
            anonymous=anonymous,
            informant_name=informant_name.strip(),
            informant_contact=informant_contact.strip(),
            created_by=actor,
        )
        audit.record(
            "clarifications.petition.create",
            actor=actor,
            obj=petition,
            after=_public(petition),
            authority_id=authority.pk,
        )
    return petition


def petition_informant_read(petition: Petition, *, actor: User) -> None:
    """A handling officer was shown the informant's identity: a sensitive read, audited.

    The audit row names the petition, never the informant (the audit log is shown to
    auditors, who must not learn the identity).
    """
    audit.record(
        "clarifications.petition.informant_read",
        actor=actor,
        obj=petition,
        authority_id=petition.authority_id,
    )


def petition_record_verification(
    petition: Petition,
    *,
    actor: User,
    explanation_heard_on: dt.date | None,
    explanation: str,
    opinions: str,
    findings: str,
) -> Petition:
    """The verification (核查): the cadre's explanation heard, opinions gathered, findings."""
    return petition_transition(
        petition,
        actor=actor,
        action="verify",
        changes={
            "explanation_heard_on": explanation_heard_on,
            "explanation": explanation,
            "opinions": opinions,
            "findings": findings,
            "verifier": actor,
        },
    )


def petition_conclude(
    petition: Petition,
    *,
    actor: User,
    outcome: str,
    concluded_on: dt.date,
    reason: str,
    referred_to: str = "",
) -> Petition:
    """Record the outcome. Founded and false accusation are referred on (to whom is kept)."""
    if outcome not in PetitionOutcome.values:
        raise ClarificationError(_t("Unknown outcome."))
    needs_referral = outcome in (PetitionOutcome.FOUNDED, PetitionOutcome.FALSE_ACCUSATION)
    if needs_referral and not referred_to.strip():
        raise ClarificationError(_t("Say to whom the matter is referred."))
    if not reason.strip():
        raise ClarificationError(_t("Give the reasons for the outcome."))
    return petition_transition(
        petition,
        actor=actor,
        action="conclude",
        reason=reason,
        changes={
            "outcome": outcome,
            "concluded_on": concluded_on,
            "outcome_reason": reason,
            "referred_to": referred_to.strip() if needs_referral else "",
        },
    )


def petition_record_accuser_result(
    petition: Petition, *, actor: User, result: str, recorded_on: dt.date
) -> Petition:
    """False accusation: what came of the investigation of the accuser (诬告陷害查处)."""
    if not result.strip():
        raise ClarificationError(_t("Write the result."))
    with transaction.atomic():
        petition = _lock(petition, actor)
        if petition.outcome != PetitionOutcome.FALSE_ACCUSATION:
            raise ClarificationError(_t("Only a false accusation has a result on the accuser."))
        before = _public(petition)
        petition.accuser_result = result
        petition.accuser_result_on = recorded_on
        petition.save(update_fields=["accuser_result", "accuser_result_on"])
        old, new = audit.diff(before, _public(petition))
        # The result text may name the accuser: only its length goes into the audit row.
        audit.record(
            "clarifications.petition.accuser_result",
            actor=actor,
            obj=petition,
            before=old,
            after={**new, "result_length": len(result)},
            authority_id=petition.authority_id,
        )
    return petition


def clarification_record(
    petition: Petition,
    *,
    actor: User,
    method: str,
    held_on: dt.date,
    scope: str,
    attendees: str,
    content: str,
) -> Clarification:
    """Clarify the subject of an unfounded, minor or falsely accused petition (once)."""
    from .enums import ClarificationMethod

    if method not in ClarificationMethod.values:
        raise ClarificationError(_t("Unknown clarification method."))
    if not scope.strip() or not content.strip():
        raise ClarificationError(_t("Give the scope and what was clarified."))
    with transaction.atomic():
        petition = _lock(petition, actor)
        if petition.outcome not in PetitionOutcome.clarifiable():
            raise ClarificationError(
                _t("Only unfounded, minor or falsely accused matters are clarified.")
            )
        if Clarification.objects.filter(petition=petition).exists():
            raise ClarificationError(_t("This petition has already been clarified."))
        clarification = Clarification.objects.create(
            petition=petition,
            method=method,
            held_on=held_on,
            scope=scope.strip(),
            attendees=attendees.strip(),
            content=content.strip(),
            created_by=actor,
        )
        if petition.matter_id is not None and petition.cadre_id is not None:
            matter_clear(
                petition.matter_id,
                petition.cadre_id,
                actor=actor,
                cleared_on=held_on,
                source="clarifications.clarification",
                source_id=clarification.pk,
                authority_id=petition.authority_id,
            )
        audit.record(
            "clarifications.clarification.record",
            actor=actor,
            obj=clarification,
            after={
                "method": method,
                "held_on": held_on.isoformat(),
                "scope": clarification.scope,
                "petition": petition.pk,
            },
            authority_id=petition.authority_id,
        )
    return clarification
