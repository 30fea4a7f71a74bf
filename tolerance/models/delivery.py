"""Delivery (送达) of a case's conclusion: how, when, and the signed receipt if there is one."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Delivered in person")
    POST = "post", _("By post")
    ELECTRONIC = "electronic", _("Electronically")
    PUBLIC_NOTICE = "public_notice", _("By public notice")


class Delivery(models.Model):
    """One delivery of the conclusion. `delivered_on` is the real date of the paper event:
    the appeal window counts from it. Who entered it and when is kept here and audited."""

    case = models.ForeignKey("tolerance.Case", on_delete=models.PROTECT, related_name="deliveries")
    method = models.CharField(
        _("method of delivery"), max_length=16, choices=DeliveryMethod.choices
    )
    delivered_on = models.DateField(_("date of delivery"))
    receipt = models.FileField(
        _("signed receipt"), upload_to="tolerance/receipts/%Y/", max_length=200, blank=True
    )
    receipt_filename = models.CharField(_("file name"), max_length=200, blank=True)
    receipt_content_type = models.CharField(_("media type"), max_length=100, blank=True)
    receipt_size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    receipt_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    appeal_due_on = models.DateField(_("appeals accepted until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["case_id", "delivered_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_method_display()} {self.delivered_on}"
