"""REST API of units and cadres: the same scopes, filters, paging and services as the pages.

Reads go through cadres.permissions (visible cadres, readable units; 404 for missing and
forbidden alike); writes only through cadres.services.cadre_create and cadre_update, which
check the user may place or change the cadre and audit the change. Full national ID
numbers never leave through the API: only the masked form is shown (the audited reveal
is in the web pages).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api_access import IdFilter

from . import services
from .enums import ETHNICITIES, Rank, UnitKind
from .filters import CadreFilter
from .forms import EDIT_FIELDS
from .models import Cadre, Unit
from .permissions import can_manage_roster, get_cadre_for_user, readable_units
from .queries import LIST_ORDER, visible_for_listing
from .rules import normalize_id_number

# --- units --------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ("id", "code", "name", "kind", "kind_label", "depth", "parent", "category")
        read_only_fields = fields

    def get_parent(self, unit) -> int | None:
        return self.context.get("parents", {}).get(unit.path[: -Unit.steplen])


def parent_ids(units: list[Unit]) -> dict[str, int]:
    """Path → id of the units' parents, in one query."""
    paths = {unit.path[: -Unit.steplen] for unit in units if unit.depth > 1}
    if not paths:
        return {}
    return dict(Unit.objects.filter(path__in=paths).values_list("path", "pk"))


class UnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices)
    q = django_filters.CharFilter(method="filter_q", help_text="Part of the name, or the code.")
    under = IdFilter(
        method="filter_under", help_text="A unit id: that unit and every unit below it."
    )

    class Meta:
        model = Unit
        fields = ("kind", "q", "under")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(code=value)) if value else queryset

    def filter_under(self, queryset, name, value):
        root = Unit.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(path__startswith=root) if root else queryset.none()


@extend_schema(tags=["units"])
class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Units under which the user may see cadres, in tree order."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    lookup_value_converter = "int"
    keyset_order = ("path",)
    queryset = Unit.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        return readable_units(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "parents": parent_ids(page)}
        return self.get_paginated_response(UnitSerializer(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        unit = self.get_object()
        context = {**self.get_serializer_context(), "parents": parent_ids([unit])}
        return Response(UnitSerializer(unit, context=context).data)


# --- cadres -------------------------------------------------------------------------------

CREATE_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "national_id",
    "native_place",
    "party_join_date",
    "work_start_date",
    "education",
    "unit",
    "position",
    "post_type",
    "rank",
    "rank_since",
    "management_level",
    "status",
)


class CadreSerializer(serializers.ModelSerializer):
    """A cadre as the API shows it: everything read-only, the ID number masked."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    national_id_masked = serializers.CharField(source="masked_national_id", read_only=True)
    rank_label = serializers.CharField(source="get_rank_display", read_only=True)
    talent_lists = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Cadre
        fields = (
            "id",
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "national_id_masked",
            "native_place",
            "party_join_date",
            "work_start_date",
            "education",
            "unit",
            "unit_name",
            "position",
            "post_type",
            "rank",
            "rank_label",
            "rank_since",
            "management_level",
            "status",
            "talent_lists",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class _ReasonMixin(serializers.Serializer):
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Why the record is created or changed (kept in the audit log).",
    )


class CadreCreateSerializer(_ReasonMixin, serializers.ModelSerializer):
    """A new cadre: the service decides whether the user may place it in the unit."""

    ethnicity = serializers.ChoiceField(choices=ETHNICITIES, required=False, default="汉族")
    national_id = serializers.CharField(max_length=18, write_only=True)

    class Meta:
        model = Cadre
        fields = (*CREATE_FIELDS, "reason")

    def validate_national_id(self, value: str) -> str:
        return normalize_id_number(value)


class CadreEditSerializer(_ReasonMixin, serializers.ModelSerializer):
    """Corrections to a cadre's record, as in the edit page (moves are not edits).

    Only the fields listed here can change; anything else sent is ignored.
    """

    national_id = serializers.CharField(
        max_length=18,
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="A new national ID number; leave out to keep the current one.",
    )

    class Meta:
        model = Cadre
        fields = (*EDIT_FIELDS, "national_id", "reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(ETHNICITIES)
        if self.instance is not None and self.instance.ethnicity not in choices:
            choices.append(self.instance.ethnicity)
        self.fields["ethnicity"] = serializers.ChoiceField(choices=choices, required=False)

    def validate_national_id(self, value: str) -> str:
        return normalize_id_number(value)

    def validate(self, attrs):
        if not attrs.get("reason", "").strip():
            message = self.fields["reason"].error_messages["required"]
            raise serializers.ValidationError({"reason": [message]})
        return attrs

    def changes(self) -> dict[str, Any]:
        """Only the fields whose value differs from the cadre's current one."""
        data, cadre = self.validated_data, self.instance
        changes = {
            name: data[name]
            for name in EDIT_FIELDS
            if name in data and data[name] != getattr(cadre, name)
        }
        new_id = data.get("national_id", "")
        if new_id and new_id != cadre.national_id:
            changes["national_id"] = new_id
        return changes


class CadreReadFilter(CadreFilter):
    """The cadre list's filters, as on the list page (ranks without the page's "any")."""

    rank_min = django_filters.TypedChoiceFilter(
        field_name="rank", lookup_expr="gte", choices=Rank.choices, coerce=int
    )
    rank_max = django_filters.TypedChoiceFilter(
        field_name="rank", lookup_expr="lte", choices=Rank.choices, coerce=int
    )

    class Meta:
        model = Cadre
        fields: tuple[str, ...] = ()


@extend_schema(tags=["cadres"])
@extend_schema_view(
    create=extend_schema(request=CadreCreateSerializer, responses={201: CadreSerializer}),
    update=extend_schema(request=CadreEditSerializer, responses=CadreSerializer),
    partial_update=extend_schema(request=CadreEditSerializer, responses=CadreSerializer),
)
class CadreViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Cadres the user may see; created and corrected by those who may change them."""

    serializer_class = CadreSerializer
    filterset_class = CadreReadFilter
    lookup_value_converter = "int"
    keyset_order = LIST_ORDER
    queryset = Cadre.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        return (
            visible_for_listing(self.request.user)
            .select_related("unit")
            .prefetch_related("talent_lists")
        )

    def get_object(self):
        return get_cadre_for_user(self.request.user, int(self.kwargs["pk"]))

    def _show(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        cadre = Cadre.objects.select_related("unit").prefetch_related("talent_lists").get(pk=pk)
        return Response(CadreSerializer(cadre).data, status=code)

    def create(self, request, *args, **kwargs):
        """Add a cadre where the user may place one (403 elsewhere); audited."""
        if not can_manage_roster(request.user):
            raise PermissionDenied(_("You may not add cadres."))
        serializer = CadreCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        reason = values.pop("reason", "").strip()
        cadre = services.cadre_create(actor=request.user, values=values, reason=reason)
        return self._show(cadre.pk, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        """Correct the record as on the edit page: every editable field, and a reason."""
        return self._update(request, partial=False)

    def partial_update(self, request, *args, **kwargs):
        """Correct some fields of the record, with a reason; other fields sent are ignored."""
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool) -> Response:
        cadre = get_cadre_for_user(request.user, int(self.kwargs["pk"]), for_change=True)
        serializer = CadreEditSerializer(cadre, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes = serializer.changes()
        if changes:
            services.cadre_update(
                cadre,
                actor=request.user,
                changes=changes,
                reason=serializer.validated_data["reason"].strip(),
            )
        return self._show(cadre.pk)
