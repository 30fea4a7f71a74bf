"""REST API of adjustment proposals (调整建议): list, detail with evidence and documents, and
transitions as actions.

Reads go through promotions.proposals.permissions (visible_proposals, get_proposal_for_user: 404 for
missing and forbidden alike; a cadre sees none). A transition is `POST
/api/promotions/proposals/{id}/transitions/{action}/` and goes through
promotions.proposals.workflow.proposal_transition, the one function that changes a proposal's
state; nothing else of a proposal can be written here (its state, authority, evidence and
documents are the workflow's). The proposal's documents are downloaded through the
documents endpoint (`/api/documents/{id}/download/`), which checks and audits the read.

Answers to a transition: 200 and the proposal; 403 when the user may see but not act on
it (promotions.proposals.permissions.can_act, as the page's buttons); 409 when the state or its
conditions do not allow the action; 400 when its input is missing or refused.
"""

from __future__ import annotations

import django_filters
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets

from cadres.enums import Rank
from cadres.models import Unit
from cadres.permissions import writable_units
from core.api_access import IdFilter
from core.api_transitions import TransitionMixin
from core.models import IssuedDocument
from promotions.enums import AdjustMethod, Decision, ProposalState, TriggerArea
from promotions.models import Proposal

from .documents import documents_of
from .explain import clause_label, evidence_line
from .permissions import can_act, get_proposal_for_user, visible_proposals
from .workflow import ACTIONS, allowed_actions, proposal_transition

# --- serializers --------------------------------------------------------------------------


class ProposalSerializer(serializers.ModelSerializer):
    """A proposal in lists: everything read-only."""

    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    area_label = serializers.CharField(source="get_area_display", read_only=True)
    clause_label = serializers.SerializerMethodField()
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)
    method_label = serializers.CharField(source="get_method_display", read_only=True)

    class Meta:
        model = Proposal
        fields = (
            "id",
            "year",
            "area",
            "area_label",
            "clause",
            "clause_label",
            "cadre",
            "cadre_name",
            "unit",
            "unit_name",
            "authority",
            "authority_name",
            "state",
            "state_label",
            "decision",
            "decision_label",
            "method",
            "method_label",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_clause_label(self, proposal) -> str:
        return clause_label(proposal.clause)


class EvidenceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="target, rank, poverty, incident or note.")
    text = serializers.CharField(help_text="The evidence as a sentence, translated.")
    data = serializers.DictField(help_text="The evidence row as the scan recorded it.")


class ProposalDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = IssuedDocument
        fields = ("id", "number", "kind", "kind_label", "title", "issued_on", "sha256", "download")
        read_only_fields = fields

    def get_download(self, document) -> str:
        return reverse("api:document-download", kwargs={"pk": document.pk})


class ProposalDetailSerializer(ProposalSerializer):
    """One proposal: its evidence, grounds, decision, documents and the actions open now."""

    evidence = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(ProposalSerializer.Meta):
        fields = (
            *ProposalSerializer.Meta.fields,
            "role",
            "policy",
            "grounds",
            "evidence",
            "decision_reason",
            "position",
            "documents",
            "allowed_actions",
        )
        read_only_fields = fields

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, proposal):
        return [
            {"kind": str(row.get("kind", "")), "text": evidence_line(row), "data": row}
            for row in proposal.evidence
            if isinstance(row, dict)
        ]

    @extend_schema_field(ProposalDocumentSerializer(many=True))
    def get_documents(self, proposal):
        return ProposalDocumentSerializer(documents_of(proposal), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ACTIONS)))
    def get_allowed_actions(self, proposal):
        return allowed_actions(self.context["request"].user, proposal)


INPUTS = {
    "inspect": (),
    "decide": ("decision", "method", "reason"),
    "execute": ("title", "rank", "on", "unit", "document_ref"),
}


class ProposalTransitionSerializer(serializers.Serializer):
    """The input of an action; fields of other actions are ignored (not even validated)."""

    decision = serializers.ChoiceField(
        choices=Decision.choices, required=False, help_text="decide: adjust or keep."
    )
    method = serializers.ChoiceField(
        choices=AdjustMethod.choices,
        required=False,
        help_text="decide: the adjustment method (when adjusting).",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="decide: why (required when not adjusting).",
    )
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=128,
        help_text="execute: the new position.",
    )
    rank = serializers.ChoiceField(
        choices=Rank.choices, required=False, help_text="execute: the new rank (default: kept)."
    )
    on = serializers.DateField(required=False, help_text="execute: the date (default: today).")
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.none(),
        required=False,
        help_text="execute: the new unit (default: the same); one the user may place cadres in.",
    )
    document_ref = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="execute: the appointment document's reference.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        action = self.context.get("action")
        if action is None:
            return  # the schema: every action's fields
        for name in list(self.fields):
            if name not in INPUTS[action]:
                del self.fields[name]
        if "unit" in self.fields:
            self.fields["unit"].queryset = writable_units(self.context["user"])

    def changes(self, action: str) -> dict:
        data = self.validated_data
        if action == "decide":
            return {
                "decision": data.get("decision", ""),
                "method": data.get("method", ""),
                "reason": data["reason"],
            }
        if action == "execute":
            return {
                "title": data["title"],
                "rank": data.get("rank"),
                "on": data.get("on"),
                "unit": data.get("unit"),
                "document_ref": data["document_ref"],
            }
        return {}


# --- views --------------------------------------------------------------------------------


class ProposalFilter(django_filters.FilterSet):
    year = IdFilter(field_name="year", max_value=9999)
    area = django_filters.MultipleChoiceFilter(choices=TriggerArea.choices)
    state = django_filters.MultipleChoiceFilter(choices=ProposalState.choices)
    authority = IdFilter(field_name="authority_id")
    cadre = IdFilter(field_name="cadre_id")
    unit = IdFilter(field_name="unit_id")

    class Meta:
        model = Proposal
        fields = ("year", "area", "state", "authority", "cadre", "unit")


@extend_schema(tags=["promotions"])
@extend_schema_view(
    transition=extend_schema(
        summary="Take an action on the proposal (the same as the proposal page's buttons).",
        description=(
            "`inspect` starts the inspection and talk; `decide` records the decision "
            "(`decision`, `method` when adjusting, `reason` when not); `execute` carries out an "
            "adjustment into the position history (`title`, optionally `rank`, `on`, `unit`, "
            "`document_ref`). 200 and the proposal; 403, 409 or 400 otherwise."
        ),
        request=ProposalTransitionSerializer,
        responses=ProposalDetailSerializer,
        parameters=[
            OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(ACTIONS))
        ],
    )
)
class ProposalViewSet(
    TransitionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Adjustment proposals the user may see, newest year first."""

    transition_actions = ACTIONS
    transition_input_class = ProposalTransitionSerializer
    transition_output_class = ProposalDetailSerializer

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    lookup_value_converter = "int"
    keyset_order = ("-year", "-id")
    queryset = Proposal.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        return visible_proposals(self.request.user).select_related("cadre", "unit", "authority")

    def get_serializer_class(self):
        return ProposalSerializer if self.action == "list" else ProposalDetailSerializer

    def get_object(self):
        return get_proposal_for_user(self.request.user, int(self.kwargs["pk"]))

    def transition_permitted(self, user, obj, action):
        return can_act(user, obj)

    def perform_transition(self, obj, *, actor, action, serializer):
        return proposal_transition(
            obj, actor=actor, action=action, changes=serializer.changes(action)
        )
