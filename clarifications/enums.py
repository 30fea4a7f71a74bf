"""Choices of the clarification app: petition channels, outcomes, clarification methods."""

from django.db import models
from django.utils.translation import pgettext_lazy


def _(text: str):
    return pgettext_lazy("clarifications", text)


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit in person")
    PHONE = "phone", _("Telephone")
    ONLINE = "online", _("Online report")
    REFERRED = "referred", _("Referred by another body")


class SubjectKind(models.TextChoices):
    CADRE = "cadre", _("A cadre")
    UNIT = "unit", _("A unit")


class PetitionState(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFYING = "verifying", _("Under verification")
    CONCLUDED = "concluded", _("Concluded")


class PetitionOutcome(models.TextChoices):
    UNFOUNDED = "unfounded", _("Unfounded (no evidence found)")
    MINOR = "minor", _("Minor, not warranting discipline")
    FOUNDED = "founded", _("Founded (referred on)")
    FALSE_ACCUSATION = "false_accusation", _("False accusation")

    @classmethod
    def clarifiable(cls) -> frozenset[str]:
        """Outcomes after which the cadre is clarified (seed 003: 查无实据, 问题轻微)."""
        return frozenset({cls.UNFOUNDED, cls.MINOR, cls.FALSE_ACCUSATION})


class ClarificationMethod(models.TextChoices):
    TALK = "talk", _("Heart-to-heart talk")
    MEETING = "meeting", _("Meeting")
    CIRCULAR = "circular", _("Circular")
    REHABILITATION_MEETING = "rehabilitation_meeting", _("Clarification and rehabilitation meeting")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
