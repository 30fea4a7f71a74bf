"""Trigger areas, proposal states and adjustment methods of the up/down app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TriggerArea(models.TextChoices):
    """The seven Shaanxi trigger areas (seed 003) and Jinan's other grounds (seed 004)."""

    TARGET = "target", _("Target-responsibility grade")
    MONITORING = "monitoring", _("County monitoring rank drop")
    POVERTY = "poverty", _("Poverty target missed")
    ENVIRONMENT = "environment", _("Environmental event mishandled")
    WORK_SAFETY = "work_safety", _("Work-safety accidents")
    STABILITY = "stability", _("Mass and public-safety incidents")
    PARTY_BUILDING = "party_building", _("Party-building violation criticized")
    INCOMPETENT_GRADE = "incompetent_grade", _("Individual grade incompetent")
    UNSUITABLE = "unsuitable", _("Unsuitable for the post (Jinan)")
    UNFIT = "unfit", _("Unfit for the post (Jinan)")
    INCOMPETENT = "incompetent", _("Incompetent in the post (Jinan)")
    NOT_ACCEPTED = "not_accepted", _("Not accepted by cadres and the public (Jinan)")

    @classmethod
    def ground_areas(cls) -> frozenset[str]:
        """Jinan's grounds (seed 004): proposals that staff create, not the scan."""
        return frozenset({cls.UNSUITABLE, cls.UNFIT, cls.INCOMPETENT, cls.NOT_ACCEPTED})


SHAANXI_AREAS = [
    TriggerArea.TARGET,
    TriggerArea.MONITORING,
    TriggerArea.POVERTY,
    TriggerArea.ENVIRONMENT,
    TriggerArea.WORK_SAFETY,
    TriggerArea.STABILITY,
    TriggerArea.PARTY_BUILDING,
]


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INSPECTING = "inspecting", _("Under inspection and talk")
    DECIDED = "decided", _("Decided")
    EXECUTED = "executed", _("Executed")

    @classmethod
    def open_states(cls) -> frozenset[str]:
        return frozenset({cls.PROPOSED, cls.INSPECTING})


class Decision(models.TextChoices):
    ADJUST = "adjust", _("Adjust")
    KEEP = "keep", _("Do not adjust")


class AdjustMethod(models.TextChoices):
    """下的调整方式 (seed 003), chosen by severity."""

    TRANSFER = "transfer", _("Transfer from post")
    NON_LEADERSHIP = "non_leadership", _("Change to a non-leadership post")
    RESIGN_BLAME = "resign_blame", _("Resignation taking the blame")
    ORDERED_RESIGN = "ordered_resign", _("Ordered resignation")
    REMOVE = "remove", _("Removal from office")
    DEMOTE = "demote", _("Demotion")


class Verdict(models.TextChoices):
    """Eligibility for promotion, explained rule by rule."""

    BLOCKED = "blocked", _("Not eligible now")
    ELIGIBLE = "eligible", _("Eligible")
    PRIORITY = "priority", _("Priority or exceptional promotion")


class ExceptionalState(models.TextChoices):
    """An exceptional-promotion (破格提拔) request: drafted, submitted, then decided."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")

    @classmethod
    def decided_states(cls) -> frozenset[str]:
        return frozenset({cls.APPROVED, cls.REJECTED})
