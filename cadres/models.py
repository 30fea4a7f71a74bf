from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from core.formatting import mask_id_number

from .enums import (
    AuthorityKind,
    CadreStatus,
    Education,
    Gender,
    ManagementLevel,
    MoveType,
    PostType,
    Rank,
    TalentListKind,
    UnitKind,
)
from .rules import pinyin_keys


class ComparisonCategory(models.Model):
    """同类同比: units of one category are compared with each other (seed 001)."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("comparison category")
        verbose_name_plural = _("comparison categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(MP_Node):
    """A body in the tree: city, county, township, department, park, SOE, ..."""

    code = models.CharField(_("unit code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    category = models.ForeignKey(
        ComparisonCategory,
        verbose_name=_("comparison category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    is_active = models.BooleanField(_("active"), default=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class Authority(models.Model):
    """受理机关: a competent authority covering part of the unit tree and some levels."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    short_name = models.CharField(
        _("short name"),
        max_length=16,
        unique=True,
        help_text=_("Used in document numbers, e.g. 市委组"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AuthorityKind.choices)
    root_units = models.ManyToManyField(
        Unit,
        verbose_name=_("covered units"),
        related_name="authorities",
        help_text=_("Each chosen unit is covered together with everything below it."),
    )
    management_levels = models.JSONField(
        _("management levels"),
        default=list,
        help_text=_("Cadre management levels covered: province, city, county."),
    )
    seal = models.FileField(
        _("electronic seal"),
        upload_to="authority-seals/",
        blank=True,
        help_text=_(
            "A PNG with a transparent background, printed over the signature of the "
            "documents this authority issues; without it the place is left blank for the "
            "physical seal."
        ),
    )

    class Meta:
        verbose_name = _("competent authority")
        verbose_name_plural = _("competent authorities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def level_labels(self) -> list[str]:
        return [str(ManagementLevel(v).label) for v in self.management_levels]


class TalentList(models.Model):
    """A cadre pool (四型: lion, expert, sprout, ox) or list (优秀年轻干部, ...)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=8, choices=TalentListKind.choices)

    class Meta:
        verbose_name = _("pool or list")
        verbose_name_plural = _("pools and lists")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class Cadre(models.Model):
    name = models.CharField(_("name"), max_length=64)
    name_pinyin = models.CharField(max_length=256, blank=True, db_index=True, editable=False)
    name_initials = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=16, default="汉族")
    birth_date = models.DateField(_("birth date"))
    national_id = models.CharField(_("national ID number"), max_length=18, unique=True)
    native_place = models.CharField(_("native place"), max_length=64, blank=True)
    party_join_date = models.DateField(_("Party membership date"), null=True, blank=True)
    work_start_date = models.DateField(_("started work"), null=True, blank=True)
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cadres"
    )
    position = models.CharField(_("position"), max_length=128)
    post_type = models.CharField(_("post type"), max_length=16, choices=PostType.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), choices=Rank.choices, db_index=True)
    rank_since = models.DateField(_("in current rank since"))
    management_level = models.CharField(
        _("management level"), max_length=16, choices=ManagementLevel.choices, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CadreStatus.choices, default=CadreStatus.SERVING
    )
    talent_lists = models.ManyToManyField(
        TalentList,
        verbose_name=_("pools and lists"),
        through="ListMembership",
        related_name="cadres",
        blank=True,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["unit_id", "-rank", "name", "id"]
        permissions = [("reveal_national_id", _("Can see full national ID numbers"))]
        indexes = [
            # The list order, for lists reading everything or a unit subtree (unit HR).
            models.Index(fields=["unit", "-rank", "name", "id"], name="cadre_list_order"),
            # The list order per management level: an authority's jurisdiction
            # (unit = ANY(units) AND management_level = level) read in the list order.
            models.Index(
                fields=["unit", "management_level", "-rank", "name", "id"],
                name="cadre_list_by_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_pinyin, self.name_initials = pinyin_keys(self.name)
        super().save(*args, **kwargs)

    @property
    def masked_national_id(self) -> str:
        return mask_id_number(self.national_id)


class ListMembership(models.Model):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="memberships")
    talent_list = models.ForeignKey(
        TalentList, verbose_name=_("pool or list"), on_delete=models.PROTECT
    )
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pool or list membership")
        verbose_name_plural = _("pool and list memberships")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "talent_list"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.cadre} · {self.talent_list}"


class PositionRecord(models.Model):
    """任职经历: one position held, and how the cadre came to it."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="positions")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit_name = models.CharField(_("unit name"), max_length=128, blank=True)
    title = models.CharField(_("position"), max_length=128)
    rank = models.PositiveSmallIntegerField(_("rank"), choices=Rank.choices, null=True, blank=True)
    move = models.CharField(_("how"), max_length=20, choices=MoveType.choices)
    document_ref = models.CharField(_("document reference"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("position record")
        verbose_name_plural = _("position history")
        ordering = ["cadre_id", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="position_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%Y.%m} {self.unit_name} {self.title}"


class CadreDossier(models.Model):
    """What the 任免审批表 (.lrmx) carries beyond the roster: kept as the file gave it, written
    back on export. One per cadre, made on the first import that brings any of it."""

    cadre = models.OneToOneField(Cadre, on_delete=models.CASCADE, related_name="dossier")
    birthplace = models.CharField(_("birthplace"), max_length=64, blank=True)
    health = models.CharField(_("health"), max_length=64, blank=True)
    professional_title = models.CharField(_("professional title"), max_length=128, blank=True)
    expertise = models.CharField(_("field of expertise"), max_length=200, blank=True)
    full_time_education = models.CharField(_("full-time education"), max_length=64, blank=True)
    full_time_degree = models.CharField(_("full-time degree"), max_length=64, blank=True)
    full_time_school = models.CharField(_("full-time school and major"), max_length=200, blank=True)
    full_time_degree_school = models.CharField(
        _("full-time degree school"), max_length=200, blank=True
    )
    in_service_education = models.CharField(_("in-service education"), max_length=64, blank=True)
    in_service_degree = models.CharField(_("in-service degree"), max_length=64, blank=True)
    in_service_school = models.CharField(
        _("in-service school and major"), max_length=200, blank=True
    )
    in_service_degree_school = models.CharField(
        _("in-service degree school"), max_length=200, blank=True
    )
    proposed_post = models.CharField(_("proposed appointment"), max_length=200, blank=True)
    proposed_removal = models.CharField(_("proposed removal"), max_length=200, blank=True)
    appointment_reason = models.TextField(_("reason for appointment or removal"), blank=True)
    rewards_text = models.TextField(_("rewards and punishments (as imported)"), blank=True)
    assessment_text = models.TextField(_("annual assessment (as imported)"), blank=True)
    reporting_unit = models.CharField(_("reporting unit"), max_length=128, blank=True)
    filled_by = models.CharField(_("filled in by"), max_length=64, blank=True)
    age_reckoned_on = models.CharField(_("age reckoned on"), max_length=8, blank=True)
    photo = models.FileField(_("photo"), upload_to="cadre-photos/", blank=True)

    class Meta:
        verbose_name = _("appointment form details")
        verbose_name_plural = _("appointment form details")

    def __str__(self) -> str:
        return str(self.cadre)


class FamilyMember(models.Model):
    """家庭主要成员及重要社会关系, in the order of the form."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="family")
    order = models.PositiveSmallIntegerField(_("order"))
    relation = models.CharField(_("relation"), max_length=16)
    name = models.CharField(_("name"), max_length=64)
    birth = models.CharField(_("born (year and month)"), max_length=16, blank=True)
    political_status = models.CharField(_("political status"), max_length=32, blank=True)
    employer_post = models.CharField(_("employer and post"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("family member or social relation")
        verbose_name_plural = _("family members and social relations")
        ordering = ["cadre_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "order"], name="unique_family_order")
        ]

    def __str__(self) -> str:
        return f"{self.relation} {self.name}"
