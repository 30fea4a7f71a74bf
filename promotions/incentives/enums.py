"""Choices of the incentives part of the promotions app (commendations, seed 000/004)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommendationKind(models.TextChoices):
    """表扬奖励: Jinan's "出彩型" naming, merit records and the civil-service awards."""

    OUTSTANDING = "outstanding", _("Named outstanding (出彩型)")
    COMMENDED = "commended", _("Commendation (嘉奖)")
    MERIT_THIRD = "merit_third", _("Third-class merit (记三等功)")
    MERIT_SECOND = "merit_second", _("Second-class merit (记二等功)")
    MERIT_FIRST = "merit_first", _("First-class merit (记一等功)")
    TITLE = "title", _("Honorary title")


class Subject(models.TextChoices):
    """Who is commended: one cadre (好干部) or a team (好团队)."""

    CADRE = "cadre", _("Cadre")
    TEAM = "team", _("Team")
