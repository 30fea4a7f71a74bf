"""REST API of assessments: annual grades (read, and entered per unit and year), and the
other evidence kinds, read-only.

Reads go through assessments.permissions, as the pages do: a grade follows its cadre
(visible_assessments: a cadre sees only their own), unit-level evidence and incidents
follow evidence_units (staff and auditors of the units' authorities, a unit HR officer
under their own unit), cadre-level tracking follows the cadre (visible_cadres).

Grades are written only as the grade grid writes them: `POST
/api/assessments/units/{unit_id}/grades/{year}/` hands the entries to
assessments.services.grades.unit_grades_enter, all or nothing, for a unit the user may
grade (get_unit_for_grading: their organization department's units, or a unit HR officer's
own unit; 404 otherwise). A refusal (the excellent quota, a cadre out of reach, a missing
exemption reason) is a 400 with code `refused`, the service's Chinese message, and each
entry's problems under `grades.<index>.<field>`. Nothing else of a grade can be written:
its unit, year, author and times are the service's.
"""

from __future__ import annotations

import django_filters
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from cadres.permissions import visible_cadres
from core.api_access import IdFilter
from core.api_errors import ErrorSerializer

from .enums import Grade, IncidentKind, RankGroup, Severity
from .models import (
    AnnualAssessment,
    CheckupInput,
    CheckupWarning,
    Incident,
    IncidentLeader,
    MonitoringRank,
    MonthlyReport,
    PovertyTarget,
    QuarterlyCheckup,
    TargetAssessment,
    TeamAssessment,
)
from .permissions import (
    evidence_units,
    get_incident_for_user,
    get_unit_for_grading,
    visible_assessments,
    visible_incidents,
)
from .services.grades import MAX_COMMENT, GradeInput, GradesRefused, unit_grades_enter
from .sheets import grade_sheet

MAX_ENTRIES = 1000  # grades in one request (a unit's whole roll fits)

# --- annual grades ------------------------------------------------------------------------


class GradeSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = AnnualAssessment
        fields = (
            "id",
            "cadre",
            "cadre_name",
            "year",
            "unit",
            "unit_name",
            "grade",
            "grade_label",
            "comments",
            "exemption_reason",
            "updated_at",
        )
        read_only_fields = fields


class YearFilter(IdFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1990)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class GradeFilter(django_filters.FilterSet):
    year = YearFilter(field_name="year")
    unit = IdFilter(field_name="unit_id")
    cadre = IdFilter(field_name="cadre_id")
    grade = django_filters.MultipleChoiceFilter(choices=Grade.choices)

    class Meta:
        model = AnnualAssessment
        fields = ("year", "unit", "cadre", "grade")


@extend_schema(tags=["assessments"])
class GradeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Annual grades (年度考核) of the cadres the user may see; a cadre sees only their own."""

    serializer_class = GradeSerializer
    filterset_class = GradeFilter
    lookup_value_converter = "int"
    keyset_order = ("-year", "-id")
    queryset = AnnualAssessment.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        return visible_assessments(self.request.user).select_related("cadre", "unit")

    def get_object(self):
        grade = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if grade is None:
            raise Http404("No such grade")
        return grade


# --- one unit's grades for a year -----------------------------------------------------------


class QuotaSerializer(serializers.Serializer):
    share = serializers.DecimalField(max_digits=4, decimal_places=3)
    rounding = serializers.CharField()
    participants = serializers.IntegerField()
    allowed = serializers.IntegerField()
    excellent = serializers.IntegerField()
    within = serializers.BooleanField()


class SheetRowSerializer(serializers.Serializer):
    cadre = serializers.IntegerField()
    cadre_name = serializers.CharField()
    grade = serializers.CharField(allow_blank=True)
    comments = serializers.CharField(allow_blank=True)
    exemption_reason = serializers.CharField(allow_blank=True)
    needs_exemption_reason = serializers.BooleanField(
        help_text="An accountability matter of this cadre was exempted that year: a grade "
        "below competent needs a reason."
    )


class SheetSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    year = serializers.IntegerField()
    rows = SheetRowSerializer(many=True)
    quota = QuotaSerializer()


class SavedSerializer(SheetSerializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    deleted = serializers.IntegerField()


class GradeEntrySerializer(serializers.Serializer):
    cadre = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    grade = serializers.ChoiceField(
        choices=[("", "—"), *Grade.choices],
        allow_blank=True,
        help_text="Empty: remove the cadre's grade for the year.",
    )
    comments = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_COMMENT
    )
    exemption_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=MAX_COMMENT
    )


class GradesEnterSerializer(serializers.Serializer):
    grades = GradeEntrySerializer(many=True, max_length=MAX_ENTRIES, allow_empty=False)


def sheet_data(user, unit, year: int) -> dict:
    sheet = grade_sheet(user, unit, year)
    check = sheet.check()
    return {
        "unit": unit.pk,
        "unit_name": unit.name,
        "year": year,
        "rows": [
            {
                "cadre": row.cadre.pk,
                "cadre_name": row.cadre.name,
                "grade": row.grade,
                "comments": row.record.comments if row.record else "",
                "exemption_reason": row.record.exemption_reason if row.record else "",
                "needs_exemption_reason": bool(row.exemptions),
            }
            for row in sheet.rows
        ],
        "quota": {
            "share": sheet.terms.share,
            "rounding": sheet.terms.rounding,
            "participants": check.quota.participants,
            "allowed": check.quota.allowed,
            "excellent": check.excellent,
            "within": check.within,
        },
    }


def refusal_body(refused: GradesRefused, entries: list[GradeInput]) -> dict:
    """The one error shape: the set's own problem (the quota) as the message, each entry's
    problems under grades.<index>.<field>."""
    index = {entry.cadre_id: i for i, entry in enumerate(entries)}
    general = [p.message for p in refused.problems if p.cadre_id is None]
    fields: dict[str, list[str]] = {}
    for problem in refused.problems:
        if problem.cadre_id is None:
            continue
        key = f"grades.{index[problem.cadre_id]}.{problem.field or 'cadre'}"
        fields.setdefault(key, []).append(problem.message)
    message = general[0] if general else _("The grades were refused: see each entry's problems.")
    return {"error": {"code": "refused", "message": message, "fields": fields}}


@extend_schema(tags=["assessments"])
class GradeSheetView(APIView):
    """One unit's annual grades for a year, as on the grade grid: read, and entered."""

    @staticmethod
    def _unit(request, unit_id: int, year: int):
        if not 1990 <= year <= 2100:
            raise Http404("No such year")
        return get_unit_for_grading(request.user, unit_id)

    @extend_schema(responses=SheetSerializer)
    def get(self, request, unit_id: int, year: int):
        """The cadres on the unit's sheet, their grades and the excellent quota."""
        unit = self._unit(request, unit_id, year)
        return Response(SheetSerializer(sheet_data(request.user, unit, year)).data)

    @extend_schema(
        request=GradesEnterSerializer, responses={200: SavedSerializer, 400: ErrorSerializer}
    )
    def post(self, request, unit_id: int, year: int):
        """Set the grades of the cadres listed (an empty grade removes one), all or nothing.

        The excellent quota counts the unit's whole year; a refusal changes nothing and
        says why (400, code `refused`).
        """
        unit = self._unit(request, unit_id, year)
        serializer = GradesEnterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entries = [
            GradeInput(
                cadre_id=row["cadre"],
                grade=row["grade"],
                comments=row["comments"].strip(),
                exemption_reason=row["exemption_reason"].strip(),
            )
            for row in serializer.validated_data["grades"]
        ]
        try:
            saved = unit_grades_enter(unit, actor=request.user, year=year, entries=entries)
        except GradesRefused as refused:
            return Response(refusal_body(refused, entries), status=status.HTTP_400_BAD_REQUEST)
        data = {
            **sheet_data(request.user, unit, year),
            "created": saved.created,
            "updated": saved.updated,
            "deleted": saved.deleted,
        }
        return Response(SavedSerializer(data).data)


# --- unit-level evidence (read-only) ----------------------------------------------------------


class UnitYearFilter(django_filters.FilterSet):
    year = YearFilter(field_name="year")
    unit = IdFilter(field_name="unit_id")


def _unit_year_serializer(model_, extra: tuple[str, ...]):
    class Serializer(serializers.ModelSerializer):
        unit_name = serializers.CharField(source="unit.name", read_only=True)

        class Meta:
            model = model_
            fields = ("id", "unit", "unit_name", "year", *extra, "updated_at")
            read_only_fields = fields

    Serializer.__name__ = f"{model_.__name__}Serializer"
    return Serializer


class _UnitEvidenceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Evidence about units under the user's reach (evidence_units), newest year first."""

    keyset_order = ("-year", "-id")
    filterset_class = UnitYearFilter

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        units = evidence_units(self.request.user).values("pk")
        return model.objects.filter(unit__in=units).select_related("unit")


@extend_schema(tags=["assessments"])
class TeamAssessmentViewSet(_UnitEvidenceViewSet):
    """Leadership-team grades (领导班子年度考核)."""

    serializer_class = _unit_year_serializer(TeamAssessment, ("grade", "comments"))
    queryset = TeamAssessment.objects.none()


@extend_schema(tags=["assessments"])
class TargetAssessmentViewSet(_UnitEvidenceViewSet):
    """Target-responsibility grades (年度目标责任考核)."""

    serializer_class = _unit_year_serializer(TargetAssessment, ("grade", "comments"))
    queryset = TargetAssessment.objects.none()


class MonitoringRankFilter(UnitYearFilter):
    group = django_filters.ChoiceFilter(choices=RankGroup.choices)


@extend_schema(tags=["assessments"])
class MonitoringRankViewSet(_UnitEvidenceViewSet):
    """County monitoring ranks (县域经济社会发展监测考评)."""

    serializer_class = _unit_year_serializer(MonitoringRank, ("group", "rank", "score"))
    filterset_class = MonitoringRankFilter
    queryset = MonitoringRank.objects.none()


class PovertyTargetSerializer(_unit_year_serializer(PovertyTarget, ("target", "achieved", "note"))):
    met = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = PovertyTarget
        fields = (
            "id",
            "unit",
            "unit_name",
            "year",
            "target",
            "achieved",
            "met",
            "note",
            "updated_at",
        )
        read_only_fields = fields


@extend_schema(tags=["assessments"])
class PovertyTargetViewSet(_UnitEvidenceViewSet):
    """Poverty-alleviation targets and results (扶贫绩效)."""

    serializer_class = PovertyTargetSerializer
    queryset = PovertyTarget.objects.none()


# --- incidents (read-only) ----------------------------------------------------------------------


class IncidentLeaderSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = IncidentLeader
        fields = ("cadre", "cadre_name", "role", "role_label")
        read_only_fields = fields


class IncidentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    severity_label = serializers.CharField(source="get_severity_display", read_only=True)
    leaders = IncidentLeaderSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = (
            "id",
            "kind",
            "kind_label",
            "occurred_on",
            "unit",
            "unit_name",
            "severity",
            "severity_label",
            "title",
            "description",
            "handled_in_time",
            "secondary_disaster",
            "criticized_by",
            "leaders",
        )
        read_only_fields = fields


class IncidentFilter(django_filters.FilterSet):
    year = YearFilter(field_name="occurred_on__year")
    kind = django_filters.ChoiceFilter(choices=IncidentKind.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    unit = IdFilter(field_name="unit_id")

    class Meta:
        model = Incident
        fields = ("year", "kind", "severity", "unit")


@extend_schema(tags=["assessments"])
class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Incidents in units under the user's reach, with the leaders responsible."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    lookup_value_converter = "int"
    keyset_order = ("-occurred_on", "-id")
    queryset = Incident.objects.none()

    def get_queryset(self):
        return (
            visible_incidents(self.request.user)
            .select_related("unit")
            .prefetch_related("leaders__cadre")
        )

    def get_object(self):
        get_incident_for_user(self.request.user, int(self.kwargs["pk"]))  # 404 otherwise
        return self.get_queryset().get(pk=int(self.kwargs["pk"]))


# --- cadre-level tracking (read-only) ---------------------------------------------------------


class CadreEvidenceFilter(django_filters.FilterSet):
    cadre = IdFilter(field_name="cadre_id")


class _CadreEvidenceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Tracking records of the cadres the user may see (a cadre: their own)."""

    filterset_class = CadreEvidenceFilter

    def get_queryset(self):
        model = self.serializer_class.Meta.model
        cadres = visible_cadres(self.request.user).values("pk")
        return model.objects.filter(cadre__in=cadres).select_related("cadre")


class MonthlyReportSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)

    class Meta:
        model = MonthlyReport
        fields = (
            "id",
            "cadre",
            "cadre_name",
            "month",
            "items_done",
            "plan_next",
            "discussed_on",
            "signed_by",
            "published_on",
            "updated_at",
        )
        read_only_fields = fields


@extend_schema(tags=["assessments"])
class MonthlyReportViewSet(_CadreEvidenceViewSet):
    """Monthly performance reports (月度实绩公示)."""

    serializer_class = MonthlyReportSerializer
    keyset_order = ("-month", "-id")
    queryset = MonthlyReport.objects.none()


class CheckupInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckupInput
        fields = ("source", "dimension", "rating", "note")
        read_only_fields = fields


class CheckupSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    inputs = CheckupInputSerializer(many=True, read_only=True)

    class Meta:
        model = QuarterlyCheckup
        fields = ("id", "cadre", "cadre_name", "year", "quarter", "held_on", "inputs")
        read_only_fields = fields


class CheckupFilter(CadreEvidenceFilter):
    year = YearFilter(field_name="year")


@extend_schema(tags=["assessments"])
class CheckupViewSet(_CadreEvidenceViewSet):
    """Quarterly multi-dimensional check-ups (季度多维体检) and their inputs."""

    serializer_class = CheckupSerializer
    filterset_class = CheckupFilter
    keyset_order = ("-year", "-quarter", "-id")
    queryset = QuarterlyCheckup.objects.none()

    def get_queryset(self):
        return super().get_queryset().prefetch_related("inputs")


class WarningSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    dimension_label = serializers.CharField(source="get_dimension_display", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = CheckupWarning
        fields = (
            "id",
            "cadre",
            "cadre_name",
            "checkup",
            "dimension",
            "dimension_label",
            "raised_on",
            "reason",
            "is_open",
            "resolved_on",
            "resolution",
        )
        read_only_fields = fields


class WarningFilter(CadreEvidenceFilter):
    open = django_filters.BooleanFilter(
        field_name="resolved_on", lookup_expr="isnull", help_text="true: still open."
    )


@extend_schema(tags=["assessments"])
class WarningViewSet(_CadreEvidenceViewSet):
    """Early warnings from the check-ups; an open one blocks promotion eligibility."""

    serializer_class = WarningSerializer
    filterset_class = WarningFilter
    keyset_order = ("-raised_on", "-id")
    queryset = CheckupWarning.objects.none()
