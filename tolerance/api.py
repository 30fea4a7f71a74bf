"""REST API of tolerance cases: the list and detail a user may see, and transitions as actions.

Reads go through tolerance.permissions (visible_cases, get_case_for_user, visible_entries:
404 for missing and forbidden alike, a cadre sees only their own conclusion). A transition
is `POST /api/tolerance/cases/{id}/transitions/{action}/` and goes through the one service
that takes it (tolerance.workflow.case_transition, or the service wrapping it for the
actions that carry more than a reason). Nothing else of a case can be written here: its
state, authority and dates are the workflow's.

Answers to a transition: 200 and the case; 403 when the state allows the action but the
user may not take it (the same predicates as the buttons); 409 when the state or the
case's conditions do not allow it; 400 when the input is missing or a rule refuses it.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action as view_action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api_access import IdFilter
from core.api_errors import Conflict, Refused
from core.api_transitions import TransitionMixin
from core.models import User

from . import predicates as P
from .deliberation import meeting_record
from .enums import CaseState, Outcome, PublicationScope, StartedBy
from .errors import CaseError
from .feedback import case_feed_back
from .investigation import case_start_investigation
from .models import Case, CaseCadre, Delivery, DeliveryMethod, Meeting
from .permissions import (
    allowed_actions,
    get_case_for_user,
    visible_cases,
    visible_entries,
)
from .receipt import case_record_receipt
from .views.files import receipt_response
from .views.visibility import sees_internal
from .workflow import REASON_REQUIRED, case_transition

# Actions a user can take through the API. The others are taken by the services that
# record what they are about (votes and conclusions, appeals) or by the system (rulings).
API_ACTIONS = (
    "submit",
    "withdraw",
    "accept",
    "reject",
    "start_investigation",
    "refer",
    "send_back",
    "feed_back",
    "publish",
    "close",
)

# --- serializers --------------------------------------------------------------------------


class CaseEntrySerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = CaseCadre
        fields = ("id", "cadre", "cadre_name", "outcome", "outcome_label", "decided_at")
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    members = serializers.IntegerField(source="seat_count", read_only=True)
    present = serializers.IntegerField(source="present_count", read_only=True)

    class Meta:
        model = Meeting
        fields = ("id", "held_on", "members", "present", "created_at")
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    has_receipt = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = (
            "id",
            "method",
            "method_label",
            "delivered_on",
            "appeal_due_on",
            "has_receipt",
            "receipt_sha256",
            "recorded_at",
        )
        read_only_fields = fields

    def get_has_receipt(self, delivery) -> bool:
        return bool(delivery.receipt_sha256)


class CaseSerializer(serializers.ModelSerializer):
    """A case in lists: everything read-only; `entries` holds only what the user may see."""

    reference = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    started_by_label = serializers.CharField(source="get_started_by_display", read_only=True)
    matter_title = serializers.CharField(source="matter.title", read_only=True)
    entries = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = (
            "id",
            "reference",
            "state",
            "state_label",
            "authority",
            "authority_name",
            "started_by",
            "started_by_label",
            "matter_title",
            "entries",
            "created_at",
            "submitted_at",
            "due_stage",
            "due_on",
            "decided_at",
            "closed_at",
        )
        read_only_fields = fields

    @extend_schema_field(CaseEntrySerializer(many=True))
    def get_entries(self, case):
        user = self.context["request"].user
        return CaseEntrySerializer(visible_entries(user, case), many=True).data


class CaseDetailSerializer(CaseSerializer):
    """One case, with the actions the user may take on it now."""

    investigator_name = serializers.SerializerMethodField()
    publication_scope_label = serializers.CharField(
        source="get_publication_scope_display", read_only=True
    )
    allowed_actions = serializers.SerializerMethodField()
    deliveries = DeliverySerializer(many=True, read_only=True)
    meetings = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = (
            *CaseSerializer.Meta.fields,
            "applicant_unit",
            "application_text",
            "investigator",
            "investigator_name",
            "received_on",
            "referred_at",
            "fed_back_on",
            "appeal_due_on",
            "deliveries",
            "meetings",
            "publication_scope",
            "publication_scope_label",
            "allowed_actions",
        )
        read_only_fields = fields

    @extend_schema_field(MeetingSerializer(many=True))
    def get_meetings(self, case):
        """The committee meetings (real dates, attendance) for the authority's staff."""
        if not sees_internal(self.context["request"].user, case):
            return []
        meetings = case.meetings.annotate(
            seat_count=Count("members"),
            present_count=Count("members", filter=Q(members__present=True)),
        ).order_by("held_on", "id")
        return MeetingSerializer(meetings, many=True).data

    def get_investigator_name(self, case) -> str | None:
        return str(case.investigator) if case.investigator_id else None

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=API_ACTIONS)))
    def get_allowed_actions(self, case):
        user = self.context["request"].user
        return [name for name in allowed_actions(user, case) if name in API_ACTIONS]


class TransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="Required to reject, withdraw or send back.",
    )
    investigator = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text="start_investigation only: the investigator (a user id).",
    )
    publication_scope = serializers.ChoiceField(
        choices=PublicationScope.choices,
        required=False,
        help_text="publish only: how widely (the policy's default when left out).",
    )
    method = serializers.ChoiceField(
        choices=DeliveryMethod.choices,
        required=False,
        help_text="feed_back only: how the conclusion was delivered.",
    )
    delivered_on = serializers.DateField(
        required=False,
        help_text="feed_back only: the real date of delivery; the appeal window counts from it.",
    )
    receipt = serializers.FileField(
        required=False,
        help_text=(
            "feed_back only: the signed receipt (送达回证), PDF or image, sent as "
            "multipart/form-data; checked and stored with its SHA-256 like the page's upload."
        ),
    )

    def validate(self, attrs):
        action = self.context["action"]
        if action in REASON_REQUIRED and not attrs.get("reason", "").strip():
            raise serializers.ValidationError({"reason": [_("Give the reasons for this action.")]})
        if action == "start_investigation" and attrs.get("investigator") is None:
            message = self.fields["investigator"].error_messages["required"]
            raise serializers.ValidationError({"investigator": [message]})
        if action == "feed_back":
            for name in ("method", "delivered_on"):
                if attrs.get(name) is None:
                    message = self.fields[name].error_messages["required"]
                    raise serializers.ValidationError({name: [message]})
        return attrs


class ReceiptSerializer(serializers.Serializer):
    received_on = serializers.DateField(
        help_text="The real date the application reached the authority (收文日期)."
    )


class VoteInputSerializer(serializers.Serializer):
    entry = serializers.IntegerField(help_text="The case's cadre entry (an entry id).")
    member = serializers.IntegerField(help_text="The member who voted (a user id).")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    opinion = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class MeetingInputSerializer(serializers.Serializer):
    """The committee meeting as the case page's form records it."""

    held_on = serializers.DateField(
        help_text="The real date of the meeting: not in the future, not before the referral."
    )
    location = serializers.CharField(required=False, allow_blank=True, default="", max_length=128)
    chair = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A member present (a user id)."
    )
    present = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=True,
        help_text="The roster members present (user ids); the others were absent.",
    )
    votes = VoteInputSerializer(many=True, required=False, default=list)
    minutes = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)

    def validate_held_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("The meeting date cannot be in the future."))
        return value


def _meeting_values(case: Case, data: dict) -> dict:
    """The service's keyword arguments from the API's ids (unknown ids: 400 at the field)."""
    wanted = set(data["present"]) | {v["member"] for v in data["votes"]}
    if data["chair"] is not None:
        wanted.add(data["chair"])
    users = User.objects.in_bulk(wanted)
    entries = case.entries.in_bulk({v["entry"] for v in data["votes"]})
    for field, ids in (
        ("present", data["present"]),
        ("chair", [] if data["chair"] is None else [data["chair"]]),
    ):
        if any(pk not in users for pk in ids):
            raise serializers.ValidationError({field: [_("Unknown user.")]})
    for vote in data["votes"]:
        if vote["entry"] not in entries or vote["member"] not in users:
            raise serializers.ValidationError(
                {"votes": [_("Only members present can vote, on cadres of this case.")]}
            )
    return {
        "held_on": data["held_on"],
        "location": data["location"],
        "chair": users.get(data["chair"]) if data["chair"] is not None else None,
        "minutes": data["minutes"],
        "present": [users[pk] for pk in dict.fromkeys(data["present"])],
        "votes": [
            (entries[v["entry"]], users[v["member"]], v["outcome"], v["opinion"])
            for v in data["votes"]
        ],
    }


def take_action(case: Case, *, actor: User, action: str, data: dict) -> Case:
    """Take an API action through the service that owns it."""
    reason = data.get("reason", "").strip()
    if action == "start_investigation":
        return case_start_investigation(case, actor=actor, investigator=data["investigator"])
    if action == "feed_back":
        return case_feed_back(
            case,
            actor=actor,
            method=data["method"],
            delivered_on=data["delivered_on"],
            receipt=data.get("receipt"),
            reason=reason,
        )
    changes = None
    if action == "publish" and data.get("publication_scope"):
        changes = {"publication_scope": data["publication_scope"]}
    return case_transition(case, actor=actor, action=action, reason=reason, changes=changes)


# --- views --------------------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=CaseState.choices)
    authority = IdFilter(field_name="authority_id")
    started_by = django_filters.ChoiceFilter(choices=StartedBy.choices)
    cadre = IdFilter(method="filter_cadre", help_text="A cadre id.")
    created_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")

    class Meta:
        model = Case
        fields = (
            "state",
            "authority",
            "started_by",
            "cadre",
            "created_from",
            "created_to",
            "due_before",
        )

    def filter_cadre(self, queryset, name, value):
        entries = CaseCadre.objects.filter(case=OuterRef("pk"), cadre_id=value)
        return queryset.filter(Exists(entries))


@extend_schema(tags=["tolerance"])
@extend_schema_view(
    transition=extend_schema(
        summary="Take an action on the case (the same as the case page's buttons).",
        description=(
            "200 and the case; 403 when the state allows the action but the user may not take "
            "it; 409 when the case's state or conditions do not allow it; 400 when the input "
            "is missing (`reason` to reject, withdraw or send back; `investigator` to start "
            "the investigation) or a rule refuses it."
        ),
        request=TransitionSerializer,
        responses=CaseDetailSerializer,
        parameters=[
            OpenApiParameter(
                "action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(API_ACTIONS)
            )
        ],
    )
)
class CaseViewSet(
    TransitionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Tolerance cases the user may see, newest first."""

    transition_actions = API_ACTIONS
    # JSON, or multipart/form-data for feed_back with its signed receipt.
    parser_classes = (JSONParser, MultiPartParser)
    transition_input_class = TransitionSerializer
    transition_output_class = CaseDetailSerializer

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    lookup_value_converter = "int"
    keyset_order = ("-id",)
    queryset = Case.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        return (
            visible_cases(self.request.user)
            .select_related("authority", "matter")
            .prefetch_related("entries__cadre")
        )

    def get_serializer_class(self):
        return CaseSerializer if self.action == "list" else CaseDetailSerializer

    def get_object(self):
        return get_case_for_user(self.request.user, int(self.kwargs["pk"]))

    def perform_transition(self, obj, *, actor, action, serializer):
        return take_action(obj, actor=actor, action=action, data=serializer.validated_data)

    @extend_schema(request=ReceiptSerializer, responses=CaseDetailSerializer)
    @view_action(detail=True, methods=["post"], url_path="receipt", url_name="receipt")
    def receipt(self, request, pk=None):
        """Record the real date the application was received (intake staff, before
        acceptance): the acceptance deadline counts from it. 400 when the date is refused
        (in the future, before the conduct) or the case is past acceptance."""
        case = self.get_object()
        serializer = ReceiptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            case_record_receipt(
                case, actor=request.user, received_on=serializer.validated_data["received_on"]
            )
        except CaseError as exc:
            raise Refused(str(exc.message)) from exc
        case = get_case_for_user(request.user, case.pk)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(request=MeetingInputSerializer, responses=CaseDetailSerializer)
    @view_action(detail=True, methods=["post"], url_path="meeting", url_name="meeting")
    def meeting(self, request, pk=None):
        """Record a committee meeting through the same service as the case page
        (tolerance.deliberation.meeting_record): the real date (400 at `held_on` when in
        the future or before the referral), who was present, the votes. 403 for those not
        on the committee, 409 outside deliberation, 400 below the quorum (naming it)."""
        case = self.get_object()
        if not P.can_deliberate(case, request.user):
            raise PermissionDenied()
        if case.state != CaseState.DELIBERATING:
            raise Conflict()
        serializer = MeetingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = _meeting_values(case, serializer.validated_data)
        try:
            meeting_record(case, actor=request.user, **values)
        except CaseError as exc:
            if exc.field and exc.field != "__all__":
                raise serializers.ValidationError({exc.field: [str(exc.message)]}) from exc
            raise Refused(str(exc.message)) from exc
        case = get_case_for_user(request.user, case.pk)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[OpenApiParameter("delivery_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @view_action(
        detail=True,
        methods=["get"],
        url_name="receipt-download",
        url_path="deliveries/<int:delivery_pk>/receipt",
    )
    def receipt_download(self, request, pk=None, delivery_pk=None):
        """The signed receipt (送达回证) of a delivery, for those who may read the case
        (the same rule as the case page; 404 for outsiders and when there is none)."""
        return receipt_response(request.user, self.get_object(), int(delivery_pk))
