"""Grades, kinds and the other choices of the assessments app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """年度考核等次 of one cadre."""

    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASIC = "basic", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")
    NOT_GRADED = "not_graded", _("Not graded")

    @classmethod
    def below_competent(cls) -> frozenset[str]:
        return frozenset({cls.BASIC, cls.INCOMPETENT})


GRADE_ORDER = [Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT, Grade.NOT_GRADED]


class Rounding(models.TextChoices):
    """How share × participants becomes a whole number of excellent grades."""

    FLOOR = "floor", _("Round down")
    HALF_UP = "half_up", _("Round half up")
    CEIL = "ceil", _("Round up")


class TeamGrade(models.TextChoices):
    """领导班子年度考核等次."""

    GOOD = "good", _("Good")
    FAIRLY_GOOD = "fairly_good", _("Fairly good")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


class TargetGrade(models.TextChoices):
    """年度目标责任考核等次 of a city, county/district or provincial department."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


class RankGroup(models.TextChoices):
    """Counties and urban districts are ranked separately (seed 003)."""

    COUNTY = "county", _("Counties")
    DISTRICT = "district", _("Urban districts")


class IncidentKind(models.TextChoices):
    WORK_SAFETY = "work_safety", _("Work-safety accident")
    MASS = "mass", _("Mass incident")
    PUBLIC_SAFETY = "public_safety", _("Public-safety event")
    ENVIRONMENT = "environment", _("Environmental pollution or ecological damage")
    PARTY_BUILDING = "party_building", _("Party-building violation")


class Severity(models.TextChoices):
    ESPECIALLY_SERIOUS = "especially_serious", _("Especially serious")
    SERIOUS = "serious", _("Serious")
    RELATIVELY_SERIOUS = "relatively_serious", _("Relatively serious")
    ORDINARY = "ordinary", _("Ordinary")


class CriticizedBy(models.TextChoices):
    """Who circulated criticism of a Party-building violation."""

    NONE = "", _("No circulated criticism")
    CENTRAL = "central", _("Central Organization Department")
    PROVINCIAL = "provincial", _("Provincial Party committee")


class LeaderRole(models.TextChoices):
    PRINCIPAL = "principal", _("Principal leader")
    IN_CHARGE = "in_charge", _("Leader in charge")
    OTHER = "other", _("Other leader concerned")


class Dimension(models.TextChoices):
    """The five dimensions of the quarterly check-up (seed 001)."""

    POLITICAL = "political", _("Political")
    MORAL = "moral", _("Moral")
    DISCIPLINE = "discipline", _("Discipline")
    LAW = "law", _("Law-abiding")
    CONDUCT = "conduct", _("Conduct")


class CheckupSource(models.TextChoices):
    """The five means of the check-up: who gives the input."""

    PRINCIPAL = "principal", _("Principal leader's comment")
    PEERS_PUBLIC = "peers_public", _("Cadres' and the public's discussion")
    RECIPIENTS = "recipients", _("Service recipients' rating")
    FUNCTIONAL = "functional", _("Functional departments' analysis")
    ORGANIZATION = "organization", _("Organization department's review")


class Rating(models.TextChoices):
    OK = "ok", _("No problem")
    CONCERN = "concern", _("Concern")
    PROBLEM = "problem", _("Problem")


class FeedbackTier(models.TextChoices):
    """分层分级当面反馈: who tells whom (seed 002)."""

    ORG_TO_TEAM = "org_to_team", _("Organization department to the leadership team")
    PRINCIPAL_TO_MEMBERS = "principal_to_members", _("Principal leader to team members")
    LEADER_TO_STAFF = "leader_to_staff", _("Leader in charge to cadres")
