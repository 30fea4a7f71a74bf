"""States and choices of the error-tolerance (容错纠错) workflow.

Values are stored in the database; labels are English msgids translated in
`locale/tolerance/zh_Hans/LC_MESSAGES/django.po`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """The decision (认定结论) a committee may reach on one cadre's matter.

    Ordered from most to least lenient: 减轻 (below the normal range) is more lenient than
    从轻 (the light end of the normal range).
    """

    EXEMPT = "exempt", _("Exempted from responsibility")
    MITIGATED = "mitigated", _("Mitigated treatment")
    LIGHTER = "lighter", _("Lighter treatment")
    NOT_TOLERATED = "not_tolerated", _("Not tolerated")


class Advice(models.TextChoices):
    """What the policy rules point to: an `Outcome`, or undetermined when facts are missing."""

    EXEMPT = Outcome.EXEMPT.value, Outcome.EXEMPT.label
    MITIGATED = Outcome.MITIGATED.value, Outcome.MITIGATED.label
    LIGHTER = Outcome.LIGHTER.value, Outcome.LIGHTER.label
    NOT_TOLERATED = Outcome.NOT_TOLERATED.value, Outcome.NOT_TOLERATED.label
    UNDETERMINED = "undetermined", _("Undetermined (facts missing)")


class CaseState(models.TextChoices):
    """States of a tolerance case; the named groups below partition them."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted for review")
    NOT_ACCEPTED = "not_accepted", _("Not accepted for review")
    INVESTIGATING = "investigating", _("Under investigation")
    DELIBERATING = "deliberating", _("Under collective deliberation")
    DECIDED = "decided", _("Conclusion reached")
    RULING_ISSUED = "ruling_issued", _("Ruling issued")
    FED_BACK = "fed_back", _("Conclusion fed back")
    PUBLISHED = "published", _("Conclusion published")
    CLOSED = "closed", _("Case closed")
    WITHDRAWN = "withdrawn", _("Case withdrawn")
    APPEALED = "appealed", _("Under review on appeal")

    @classmethod
    def drafting_states(cls) -> frozenset[str]:
        """Still with the applicant; the competent authority does not see it yet."""
        return frozenset({cls.DRAFT})

    @classmethod
    def awaiting_acceptance_states(cls) -> frozenset[str]:
        return frozenset({cls.SUBMITTED})

    @classmethod
    def under_review_states(cls) -> frozenset[str]:
        """Accepted and not yet decided (an appeal reopens the review)."""
        return frozenset({cls.ACCEPTED, cls.INVESTIGATING, cls.DELIBERATING, cls.APPEALED})

    @classmethod
    def decided_states(cls) -> frozenset[str]:
        """A conclusion exists and is being issued, fed back or published."""
        return frozenset({cls.DECIDED, cls.RULING_ISSUED, cls.FED_BACK, cls.PUBLISHED})

    @classmethod
    def finished_states(cls) -> frozenset[str]:
        return frozenset({cls.CLOSED, cls.WITHDRAWN, cls.NOT_ACCEPTED})

    @classmethod
    def open_states(cls) -> frozenset[str]:
        """Every state in which the case still needs someone's action."""
        return frozenset(cls.values) - cls.finished_states()


class StartedBy(models.TextChoices):
    """Who started the case: an application, or ex officio in one of three contexts (seed 002)."""

    CADRE = "cadre", _("Application by the cadre")
    UNIT = "unit", _("Application by the unit")
    EX_OFFICIO_INSPECTION = "ex_officio_inspection", _("Ex officio: cadre inspection or assessment")
    EX_OFFICIO_INVESTIGATION = (
        "ex_officio_investigation",
        _("Ex officio: responsibility investigation"),
    )
    EX_OFFICIO_ACCOUNTABILITY = (
        "ex_officio_accountability",
        _("Ex officio: start of accountability"),
    )

    @classmethod
    def ex_officio(cls) -> frozenset[str]:
        return frozenset(
            {cls.EX_OFFICIO_INSPECTION, cls.EX_OFFICIO_INVESTIGATION, cls.EX_OFFICIO_ACCOUNTABILITY}
        )

    @classmethod
    def applications(cls) -> frozenset[str]:
        return frozenset({cls.CADRE, cls.UNIT})


class PublicationScope(models.TextChoices):
    """How widely an exemption is made public (在一定范围内公开, seed 003), narrowest first."""

    UNIT = "unit", _("Within the unit")
    SYSTEM = "system", _("Within the system")
    PUBLIC = "public", _("Public (to society)")


class DistinctionSide(models.TextChoices):
    """Which side of one of the three distinctions (三个区分开来) the facts fall on."""

    TOLERABLE = "tolerable", _("Tolerable side")
    NOT_TOLERABLE = "not_tolerable", _("Non-tolerable side")
    UNDETERMINED = "undetermined", _("Side not yet determined")


class ConditionStatus(models.TextChoices):
    HOLDS = "holds", _("Condition holds")
    FAILS = "fails", _("Condition fails")
    UNDETERMINED = "undetermined", _("Condition not yet determined")


class ExclusionStatus(models.TextChoices):
    PRESENT = "present", _("Exclusion present")
    ABSENT = "absent", _("Exclusion absent")
    UNDETERMINED = "undetermined", _("Exclusion not yet determined")


class Severity(models.TextChoices):
    """Severity of the consequences (后果影响) of the error, as established by the investigation."""

    MINOR = "minor", _("Minor consequences")
    SERIOUS = "serious", _("Serious consequences")
    GRAVE = "grave", _("Grave consequences")
