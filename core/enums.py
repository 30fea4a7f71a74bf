from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's roles are Django groups named by these codes."""

    INTAKE_CLERK = "intake_clerk", _("Intake clerk")
    INVESTIGATOR = "investigator", _("Investigator")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    APPROVING_LEADER = "approving_leader", _("Approving leader")
    DISCIPLINE_STAFF = "discipline_staff", _("Discipline-inspection staff")
    UNIT_HR = "unit_hr", _("Unit HR officer")
    CADRE = "cadre", _("Cadre")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")

    @classmethod
    def org_department_roles(cls) -> frozenset[str]:
        return frozenset(
            {cls.INTAKE_CLERK, cls.INVESTIGATOR, cls.COMMITTEE_MEMBER, cls.APPROVING_LEADER}
        )

    @classmethod
    def authority_staff_roles(cls) -> frozenset[str]:
        """Roles that act inside one or more competent authorities' jurisdiction."""
        return cls.org_department_roles() | {cls.DISCIPLINE_STAFF}
