"""Petitions and reports (信访举报) about cadres, their verification (核查) and outcome, the
clarification (澄清正名) that follows an unfounded or minor finding, and the prevention
register (防错) of major reform measures filed beforehand.

The informant's identity (name, contact) lives only on Petition.informant_name and
informant_contact. It is never put in __str__, audit rows, exports or documents; pages show
it only to the handling staff (clarifications.permissions.sees_informant).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from .enums import (
    Channel,
    ClarificationMethod,
    PetitionOutcome,
    PetitionState,
    RiskLevel,
    SubjectKind,
)


def _(text: str):
    return pgettext_lazy("clarifications", text)


class Petition(FSMModelMixin, models.Model):
    """A petition (信访举报) about a cadre or a unit. Its state changes only through
    clarifications.services.petition_transition."""

    authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("handling authority"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    subject_kind = models.CharField(
        _("about"), max_length=8, choices=SubjectKind.choices, default=SubjectKind.CADRE
    )
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre reported on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    unit = models.ForeignKey(
        "cadres.Unit",
        verbose_name=_("unit reported on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.ForeignKey(
        "tolerance.AccountabilityMatter",
        verbose_name=_("related accountability matter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    allegations = models.TextField(_("allegations"))
    anonymous = models.BooleanField(_("anonymous report"), default=False)
    informant_name = models.CharField(_("informant's name"), max_length=64, blank=True)
    informant_contact = models.CharField(_("informant's contact"), max_length=128, blank=True)
    state = FSMField(
        _("state"),
        max_length=12,
        choices=PetitionState.choices,
        default=PetitionState.RECEIVED,
        protected=True,
    )
    # Verification (核查)
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    explanation_heard_on = models.DateField(_("explanation heard on"), null=True, blank=True)
    explanation = models.TextField(_("the cadre's explanation"), blank=True)
    opinions = models.TextField(_("opinions gathered"), blank=True)
    findings = models.TextField(_("verification findings"), blank=True)
    # Outcome
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=PetitionOutcome.choices, blank=True, db_index=True
    )
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    outcome_reason = models.TextField(_("reasons for the outcome"), blank=True)
    referred_to = models.CharField(_("referred to"), max_length=128, blank=True)
    accuser_result = models.TextField(_("result of the inquiry into the accuser"), blank=True)
    accuser_result_on = models.DateField(_("accuser result recorded on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("petition or report")
        verbose_name_plural = _("petitions and reports")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["authority", "outcome", "concluded_on"]),
            # The list's order, per handling authority (an access path) and for everything.
            models.Index(
                fields=["authority", "-received_on", "-id"], name="petition_list_by_authority"
            ),
            models.Index(fields=["-received_on", "-id"], name="petition_list_order"),
            # The home page's exact counts per state (workbench.items).
            models.Index(fields=["authority", "state"], name="petition_by_state"),
        ]

    def __str__(self) -> str:
        # Never the informant: this string is copied into audit rows.
        return self.reference

    @property
    def reference(self) -> str:
        year = self.received_on.year if self.received_on else ""
        return f"XF{year}-{self.pk or 0:05d}"

    @property
    def subject_name(self) -> str:
        if self.cadre_id:
            return self.cadre.name
        return self.unit.name if self.unit_id else ""

    # --- declared transitions (taken by clarifications.services.petition_transition) -----

    @transition(
        state,
        source=[PetitionState.RECEIVED, PetitionState.VERIFYING],
        target=PetitionState.VERIFYING,
    )
    def verify(self) -> None:
        """Record (or complete) the verification: the cadre's explanation, opinions, findings."""

    @transition(state, source=PetitionState.VERIFYING, target=PetitionState.CONCLUDED)
    def conclude(self) -> None:
        """Record the outcome of the verification."""


class Clarification(models.Model):
    """The clarification of one petition's subject: how, when, before whom."""

    petition = models.OneToOneField(
        Petition,
        verbose_name=_("petition or report"),
        on_delete=models.PROTECT,
        related_name="clarification",
    )
    method = models.CharField(
        _("clarification method"), max_length=24, choices=ClarificationMethod.choices
    )
    held_on = models.DateField(_("held on"))
    scope = models.CharField(_("scope"), max_length=200)
    attendees = models.TextField(_("attendees"), blank=True)
    content = models.TextField(_("what was clarified"))
    document = models.OneToOneField(
        "core.IssuedDocument",
        verbose_name=_("clarification notice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.petition.reference} {self.get_method_display()}"


class PreventionFiling(models.Model):
    """防错: a major reform measure, its risk assessment and argument, filed beforehand."""

    authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("registering authority"),
        on_delete=models.PROTECT,
        related_name="prevention_filings",
    )
    unit = models.ForeignKey(
        "cadres.Unit",
        verbose_name=_("unit carrying out the measure"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    measure = models.CharField(_("reform measure"), max_length=200)
    description = models.TextField(_("description of the measure"), blank=True)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    risk_assessment = models.TextField(_("risk assessment"))
    argument = models.TextField(_("argument (feasibility study)"))
    argued_on = models.DateField(_("argued on"))
    filed_on = models.DateField(_("filed on"))
    approving_body = models.CharField(_("approving body"), max_length=128)
    filing_ref = models.CharField(_("filing reference"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("prevention filing")
        verbose_name_plural = _("prevention filings")
        ordering = ["-filed_on", "-id"]

    def __str__(self) -> str:
        return f"BA{self.filed_on.year if self.filed_on else ''}-{self.pk or 0:05d} {self.measure}"


class CaseFilingCitation(models.Model):
    """A tolerance case cites a prevention filing as evidence that the risk was filed."""

    case = models.ForeignKey(
        "tolerance.Case",
        verbose_name=_("tolerance case"),
        on_delete=models.PROTECT,
        related_name="filing_citations",
    )
    filing = models.ForeignKey(
        PreventionFiling,
        verbose_name=_("prevention filing"),
        on_delete=models.PROTECT,
        related_name="citations",
    )
    cited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cited_at = models.DateTimeField(_("cited at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("filing cited in a case")
        verbose_name_plural = _("filings cited in cases")
        ordering = ["case_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "filing"], name="clar_citation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.filing_id}"
