"""The accountability matter (问责事项) a tolerance case is about."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountabilityMatter(models.Model):
    """What happened, when, and the accountability action taken or proposed, by whom.

    Other apps (assessments, promotions, incentives) point at a matter and ask
    tolerance.effects whether it still counts against a cadre.
    """

    title = models.CharField(_("matter"), max_length=200)
    description = models.TextField(_("what happened"))
    occurred_on = models.DateField(_("date of the conduct"))
    action = models.CharField(
        _("accountability action taken or proposed"), max_length=200, blank=True
    )
    action_by = models.CharField(_("by whom"), max_length=128, blank=True)
    document_ref = models.CharField(_("document reference"), max_length=64, blank=True)
    cadres = models.ManyToManyField(
        "cadres.Cadre", verbose_name=_("cadres concerned"), related_name="accountability_matters"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("accountability matter")
        verbose_name_plural = _("accountability matters")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return self.title


class MatterClearance(models.Model):
    """A matter no longer counts against one cadre because another procedure cleared them
    of it, e.g. a clarification (澄清正名) held on a petition about the matter.

    Written only by tolerance.clearances.matter_clear, which the clearing app calls, so that
    tolerance.effects answers from tolerance's own tables.
    """

    matter = models.ForeignKey(
        AccountabilityMatter,
        verbose_name=_("accountability matter"),
        on_delete=models.PROTECT,
        related_name="clearances",
    )
    cadre = models.ForeignKey(
        "cadres.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    cleared_on = models.DateField(_("cleared on"))
    # What cleared the matter ("clarifications.clarification") and its id, for the record.
    source = models.CharField(_("cleared by"), max_length=64)
    source_id = models.PositiveBigIntegerField(_("record number"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("matter clearance")
        verbose_name_plural = _("matter clearances")
        constraints = [
            models.UniqueConstraint(fields=["matter", "cadre"], name="tolerance_clearance_once")
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}/{self.cadre_id}"
