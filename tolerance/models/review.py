"""After the decision: appeals (复核) and remedial measures (纠错)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from ..enums import Outcome


class AppealState(models.TextChoices):
    PENDING = "pending", _("Pending review")
    CONFIRMED = "confirmed", _("Conclusion confirmed")
    CHANGED = "changed", _("Conclusion changed")


class Appeal(FSMModelMixin, models.Model):
    """An appeal against a cadre's conclusion. Its state changes only through
    tolerance.appeals.appeal_decide (the appeal workflow's one transition function)."""

    entry = models.ForeignKey(
        "tolerance.CaseCadre", on_delete=models.PROTECT, related_name="appeals"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now, editable=False)
    reason = models.TextField(_("grounds of the appeal"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tolerance_appeals_reviewed",
    )
    state = FSMField(
        _("state"),
        max_length=12,
        choices=AppealState.choices,
        default=AppealState.PENDING,
        protected=True,
    )
    original_outcome = models.CharField(max_length=16, choices=Outcome.choices)
    new_outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField(_("reasons of the review"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["entry_id", "filed_at"]
        constraints = [
            # At most one pending appeal per cadre and case.
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(state="pending"),
                name="tolerance_one_pending_appeal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.state}"

    @transition(
        state,
        source=AppealState.PENDING,
        target=RETURN_VALUE(AppealState.CONFIRMED, AppealState.CHANGED),
    )
    def decide(self, changed: bool) -> str:
        return AppealState.CHANGED if changed else AppealState.CONFIRMED


class RemedyStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done, awaiting verification")
    VERIFIED = "verified", _("Verified")


class Remedy(models.Model):
    """A remedial (纠错) measure: what, who, by when, and whether it was verified."""

    case = models.ForeignKey("tolerance.Case", on_delete=models.PROTECT, related_name="remedies")
    measure = models.TextField(_("measure"))
    owner = models.CharField(_("responsible"), max_length=128)
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RemedyStatus.choices, default=RemedyStatus.PLANNED
    )
    verification = models.TextField(_("verification"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    overdue_notified_on = models.DateField(
        _("overdue notice sent on"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("remedial measure")
        verbose_name_plural = _("remedial measures")
        ordering = ["case_id", "due_on", "id"]

    def __str__(self) -> str:
        return self.measure[:40]
