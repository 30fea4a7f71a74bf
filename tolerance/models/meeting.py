"""The committee meeting (集体研究) that decides a case, with attendance and votes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..enums import Outcome


class Meeting(models.Model):
    case = models.ForeignKey("tolerance.Case", on_delete=models.PROTECT, related_name="meetings")
    # Contexts: "held on", "place" and "present" mean other things in other apps' catalogs.
    held_on = models.DateField(pgettext_lazy("committee meeting", "held on"))
    location = models.CharField(
        pgettext_lazy("committee meeting", "place"), max_length=128, blank=True
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["case_id", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class MeetingMember(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="tolerance_meeting_seats",
    )
    present = models.BooleanField(pgettext_lazy("attendance", "present"), default=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="tolerance_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.user_id}"


class Vote(models.Model):
    """One present member's vote on one cadre's conclusion, with their opinion."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    entry = models.ForeignKey("tolerance.CaseCadre", on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("votes for"), max_length=16, choices=Outcome.choices)
    opinion = models.TextField(_("opinion"), blank=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["meeting_id", "entry_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "entry", "member"], name="tolerance_vote_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.outcome}"
