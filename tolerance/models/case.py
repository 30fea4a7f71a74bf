"""A tolerance case: one accountability matter, one or more cadres, one state machine.

The state changes only through tolerance.workflow.case_transition, which locks the row,
checks the transition declared here (source state, conditions, permission predicate from
tolerance.predicates), saves, audits and notifies in one transaction. The transition
methods below only declare; they have no body.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from .. import predicates as P
from ..enums import CaseState, Outcome, PublicationScope, StartedBy
from ..rules import Findings

QUEUE_NO_DUE = dt.date(9999, 12, 31)
"""queue_due of a case without a running deadline: after every real date."""

S = CaseState


class DueStage(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Decision on acceptance")
    INVESTIGATION = "investigation", _("Investigation")
    DECISION = "decision", _("Collective decision")
    FEEDBACK = "feedback", _("Feedback to the applicant")
    APPEAL_DECISION = "appeal_decision", _("Decision on the appeal")


class Case(FSMModelMixin, models.Model):
    authority = models.ForeignKey(
        "cadres.Authority",
        verbose_name=_("competent authority"),
        on_delete=models.PROTECT,
        related_name="tolerance_cases",
    )
    policy_version = models.ForeignKey(
        "tolerance.PolicyVersion",
        verbose_name=_("policy version applied"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    matter = models.ForeignKey(
        "tolerance.AccountabilityMatter",
        verbose_name=_("accountability matter"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    started_by = models.CharField(_("started by"), max_length=32, choices=StartedBy.choices)
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="filed_tolerance_cases",
    )
    applicant_unit = models.ForeignKey(
        "cadres.Unit",
        verbose_name=_("applying unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    application_text = models.TextField(_("grounds of the application"), blank=True)
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investigator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investigated_tolerance_cases",
    )
    investigation_report = models.TextField(_("investigation report"), blank=True)
    not_accepted_reason = models.TextField(_("reasons for not accepting"), blank=True)
    withdrawn_reason = models.TextField(_("reasons for withdrawing"), blank=True)
    publication_scope = models.CharField(
        _("publication scope"), max_length=12, choices=PublicationScope.choices, blank=True
    )
    due_stage = models.CharField(
        _("current deadline"), max_length=20, choices=DueStage.choices, blank=True
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    queue_due = models.GeneratedField(
        expression=models.functions.Coalesce("due_on", models.Value(QUEUE_NO_DUE)),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("queue deadline"),
    )
    """The queue's sort key: due_on, with cases without a deadline last (keyset paging needs
    a non-null column; index (authority, queue_due, id) serves the queue's order)."""
    due_started_on = models.DateField(_("deadline counted from"), null=True, blank=True)
    due_working_days = models.PositiveSmallIntegerField(
        _("working days of the deadline"), null=True, blank=True
    )
    """The running deadline is the `due_working_days`-th working day after `due_started_on`
    (extensions included): what lets a corrected holiday schedule recompute it."""
    due_fallback_years = models.JSONField(
        _("years counted Monday to Friday"), default=list, blank=True
    )
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    fed_back_on = models.DateField(_("fed back on"), null=True, blank=True)
    appeal_due_on = models.DateField(_("appeals accepted until"), null=True, blank=True)
    received_on = models.DateField(
        _("date of receipt"),
        null=True,
        blank=True,
        help_text=_("When the paper application really reached the authority (收文日期)."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    referred_at = models.DateTimeField(_("referred to the committee at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tolerance case")
        verbose_name_plural = _("tolerance cases")
        ordering = ["-id"]
        indexes = [
            # The home page's counts per state (and the overdue, the earliest deadline) read
            # an authority's cases of a state from this index alone (id: the paths' union).
            models.Index(
                fields=["authority", "state", "due_on"], include=["id"], name="case_counts_by_state"
            ),
            models.Index(fields=["authority", "queue_due", "id"], name="case_queue_by_authority"),
            models.Index(fields=["queue_due", "id"], name="case_queue_order"),
            models.Index(fields=["filed_by", "queue_due", "id"], name="case_queue_by_filer"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        year = timezone.localtime(self.created_at).year if self.created_at else ""
        return f"RC{year}-{self.pk or 0:05d}"

    @property
    def is_application(self) -> bool:
        return self.started_by in StartedBy.applications()

    # --- transitions (declarations only; see tolerance.workflow.case_transition) ----------

    @transition(state, source=S.DRAFT, target=S.SUBMITTED, permission=P.can_submit)
    def submit(self):
        """The applicant (or staff, ex officio) hands the case to the competent authority."""

    @transition(
        state,
        source=[S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.INVESTIGATING, S.DELIBERATING],
        target=S.WITHDRAWN,
        permission=P.can_withdraw,
    )
    def withdraw(self):
        """The applicant withdraws before the decision."""

    @transition(state, source=S.SUBMITTED, target=S.ACCEPTED, permission=P.can_intake)
    def accept(self):
        """Accepted for review."""

    @transition(state, source=S.SUBMITTED, target=S.NOT_ACCEPTED, permission=P.can_intake)
    def reject(self):
        """Not accepted, with reasons."""

    @transition(
        state,
        source=S.ACCEPTED,
        target=S.INVESTIGATING,
        permission=P.can_intake,
        conditions=[P.has_investigator],
    )
    def start_investigation(self):
        """An investigator is assigned and starts."""

    @transition(
        state,
        source=S.INVESTIGATING,
        target=S.DELIBERATING,
        permission=P.can_investigate,
        conditions=[P.investigation_complete, P.statements_recorded],
    )
    def refer(self):
        """The investigation report goes to the committee."""

    @transition(
        state,
        source=S.DELIBERATING,
        target=S.INVESTIGATING,
        permission=P.can_deliberate,
        conditions=[P.nothing_decided],
    )
    def send_back(self):
        """The committee sends the case back for further investigation."""

    @transition(
        state,
        source=S.DELIBERATING,
        target=S.DECIDED,
        permission=P.can_deliberate,
        conditions=[P.everyone_decided],
    )
    def decide(self):
        """Every cadre has a conclusion."""

    @transition(state, source=S.DECIDED, target=S.RULING_ISSUED, permission=P.system_only)
    def issue_rulings(self):
        """Every ruling has been issued (by the document task)."""

    @transition(state, source=S.RULING_ISSUED, target=S.FED_BACK, permission=P.can_intake)
    def feed_back(self):
        """The conclusion is fed back to the applicant and the cadres."""

    @transition(
        state,
        source=S.FED_BACK,
        target=S.PUBLISHED,
        permission=P.can_publish,
        conditions=[P.has_exemption, P.no_pending_appeal],
    )
    def publish(self):
        """Exemptions are made public within the chosen scope."""

    @transition(
        state,
        source=[S.FED_BACK, S.PUBLISHED],
        target=S.APPEALED,
        permission=P.can_appeal,
        conditions=[P.appeal_window_open, P.has_pending_appeal],
    )
    def appeal(self):
        """A cadre (or the applying unit) asks for review of the conclusion."""

    @transition(
        state,
        source=S.APPEALED,
        target=S.FED_BACK,
        permission=P.can_decide_appeal,
        conditions=[P.no_pending_appeal],
    )
    def conclude_appeal(self):
        """The reviewer confirmed or changed the conclusion; the result is fed back."""

    @transition(
        state,
        source=[S.FED_BACK, S.PUBLISHED],
        target=S.CLOSED,
        permission=P.can_intake,
        conditions=[P.appeal_window_over, P.no_pending_appeal],
    )
    def close(self):
        """Nothing is left to do."""


class CaseCadre(models.Model):
    """One cadre in a case: the findings on them, and their own conclusion."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="entries")
    cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        related_name="tolerance_entries",
    )
    distinctions = models.JSONField(_("three distinctions"), default=dict, blank=True)
    conditions = models.JSONField(_("conditions"), default=dict, blank=True)
    exclusions = models.JSONField(_("exclusions"), default=dict, blank=True)
    situations = models.JSONField(_("matched situations"), null=True, blank=True)
    remedy_taken = models.BooleanField(_("remedial action taken"), null=True, blank=True)
    risk_filed = models.BooleanField(_("risk assessed and filed beforehand"), default=False)
    severity = models.CharField(_("severity of consequences"), max_length=12, blank=True)
    findings_note = models.TextField(_("findings"), blank=True)
    not_same_error_reason = models.TextField(
        _("why this is not the same error as the earlier case"),
        blank=True,
        help_text=_(
            "Only where an earlier tolerated case shares a situation: the investigator's reason "
            "for finding that this is not a repeated error."
        ),
    )
    statement = models.TextField(_("the cadre's own statement"), blank=True)
    outcome = models.CharField(
        _("conclusion"), max_length=16, choices=Outcome.choices, blank=True, db_index=True
    )
    outcome_reason = models.TextField(_("reasons for the conclusion"), blank=True)
    advice_at_decision = models.CharField(_("rules advice at decision"), max_length=16, blank=True)
    departs_from_advice = models.BooleanField(_("departs from the advice"), default=False)
    departure_reason = models.TextField(_("reason for departing from the advice"), blank=True)
    relied_on = models.JSONField(_("clauses relied on"), default=list, blank=True)
    meeting = models.ForeignKey(
        "tolerance.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cadre in a case")
        verbose_name_plural = _("cadres in cases")
        ordering = ["case_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "cadre"], name="tolerance_casecadre_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.cadre_id}"

    def findings(self) -> Findings:
        return Findings(
            distinctions=dict(self.distinctions),
            conditions=dict(self.conditions),
            exclusions=dict(self.exclusions),
            situations=frozenset(self.situations) if self.situations is not None else None,
            remedy_taken=self.remedy_taken,
            risk_filed=self.risk_filed,
            severity=self.severity or None,
        )


class AttachmentKind(models.TextChoices):
    APPLICATION = "application", _("Application material")
    EVIDENCE = "evidence", _("Evidence")
    INTERVIEW = "interview", _("Interview record")
    STATEMENT = "statement", _("Statement")
    OTHER = "other", _("Other")


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to="tolerance/attachments/%Y/", max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("media type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["case_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.filename


class NoteKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview notes")
    STATEMENT = "statement", _("Statement of the cadre")
    INVESTIGATION = "investigation", _("Investigation note")


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    entry = models.ForeignKey(
        CaseCadre, null=True, blank=True, on_delete=models.PROTECT, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NoteKind.choices)
    held_on = models.DateField(_("date"), default=timezone.localdate)
    participants = models.CharField(_("participants"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["case_id", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class Extension(models.Model):
    """A deadline extended, with the reason and who granted it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extensions")
    stage = models.CharField(_("deadline"), max_length=20, choices=DueStage.choices)
    previous_due_on = models.DateField(_("was due on"))
    new_due_on = models.DateField(_("now due on"))
    working_days = models.PositiveSmallIntegerField(_("working days added"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["case_id", "granted_at"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.previous_due_on} → {self.new_due_on}"
