"""The committee roster (集体研究成员名单) of a competent authority.

Who sits on the committee is the authority's roster, kept by an administrator (audited in
tolerance.admin), not chosen on the meeting form: a member who did not come to a meeting is
absent, never "not on the committee for this meeting".
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommitteeMember(models.Model):
    authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("competent authority"),
        on_delete=models.PROTECT,
        related_name="committee_members",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    title = models.CharField(
        _("title on the committee"),
        max_length=64,
        blank=True,
        help_text=_("For example 主任 or 委员; shown on the meeting form."),
    )
    active = models.BooleanField(_("sits on the committee"), default=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("committee roster entry")
        verbose_name_plural = _("committee roster")
        ordering = ["authority_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "user"], name="tolerance_committee_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.title})" if self.title else str(self.user)
