"""Delivery (送达) of the conclusion, which opens the appeal window.

The delivery's date is the real date of a paper event: it is never in the future, never
before the rulings were issued, and the appeal window counts from it in working days, so a
delivery entered days after it happened may open a window that is already short, or over.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import DocumentKind, IssuedDocument, User
from core.uploads import UploadRejected, check_attachment, read_upload
from core.workdays import load_calendar

from . import deadlines
from .errors import CaseError
from .models import Case, Delivery, DeliveryMethod
from .workflow import case_transition


def rulings_issued_on(case: Case) -> dt.date | None:
    """The date of issue of the case's last ruling (the step delivery follows), or the day
    of the decision when no ruling is stored."""
    last = IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=case.pk,
        kind=DocumentKind.TOLERANCE_RULING,
    ).aggregate(last=Max("issued_on"))["last"]
    if last is None and case.decided_at is not None:
        return timezone.localtime(case.decided_at).date()
    return last


def check_delivered_on(delivered_on: dt.date, earliest: dt.date | None, today: dt.date) -> str:
    """'' when the delivery date can be recorded; else why not (pure)."""
    if delivered_on > today:
        return _("The date of delivery cannot be in the future.")
    if earliest is not None and delivered_on < earliest:
        return _("The conclusion cannot be delivered before its ruling was issued (%(date)s).") % {
            "date": earliest.isoformat()
        }
    return ""


def _receipt(upload) -> tuple[bytes, str, str]:
    try:
        data = read_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        content_type, extension = check_attachment(data)
    except UploadRejected as exc:
        raise CaseError(str(exc), field="receipt") from exc
    return data, content_type, extension


def case_feed_back(
    case: Case,
    *,
    actor: User,
    method: str,
    delivered_on: dt.date,
    receipt=None,
    reason: str = "",
) -> Case:
    """Record the delivery of the conclusion (method, real date, optional signed receipt)
    and take the `feed_back` transition: `fed_back_on` is the delivery date and
    `appeal_due_on` the policy's `appeal_window_days` working days after it.

    Raises CaseError (a bad date, method or receipt) or TransitionRefused, changing nothing.
    """
    if method not in DeliveryMethod.values:
        raise CaseError(_("Choose how the conclusion was delivered."))
    data = content_type = extension = None
    if receipt is not None:
        data, content_type, extension = _receipt(receipt)
    procedure = case.policy_version.policy.procedure
    due = deadlines.appeal_deadline(delivered_on, procedure, load_calendar())
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        problem = check_delivered_on(delivered_on, rulings_issued_on(locked), timezone.localdate())
        if problem:
            raise CaseError(problem, field="delivered_on")
        moved = case_transition(
            locked,
            actor=actor,
            action="feed_back",
            reason=reason,
            changes={"fed_back_on": delivered_on, "appeal_due_on": due.date},
        )
        delivery = Delivery(
            case=locked,
            method=method,
            delivered_on=delivered_on,
            appeal_due_on=due.date,
            recorded_by=actor,
        )
        if data is not None:
            sha256 = hashlib.sha256(data).hexdigest()
            original = (getattr(receipt, "name", "") or "").replace("/", "_").replace("\\", "_")
            stem = original[-150:].rsplit(".", 1)[0] or "receipt"
            delivery.receipt_filename = f"{stem}.{extension}"
            delivery.receipt_content_type = content_type
            delivery.receipt_size = len(data)
            delivery.receipt_sha256 = sha256
            delivery.receipt.save(f"{sha256[:32]}.{extension}", ContentFile(data), save=False)
        delivery.save()
        audit.record(
            "tolerance.delivery.record",
            actor=actor,
            obj=locked,
            after={
                "delivery": delivery.pk,
                "method": method,
                "delivered_on": delivered_on.isoformat(),
                "appeal_due_on": due.date.isoformat(),
                "receipt_sha256": delivery.receipt_sha256,
                "filename": delivery.receipt_filename,
            },
            authority_id=locked.authority_id,
        )
    return moved
