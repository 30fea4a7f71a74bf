"""One REST shape for every workflow's transitions (core.api_transitions): 404 for an action
the endpoint does not offer, 409 when the state or its conditions do not allow it, 403 when
the user may not, 400 for bad input or a refusal, 200 with the object as it is now.

Shown on a minimal viewset over petitions (clarifications), whose declared transitions are
`verify` (from received or verifying) and `conclude` (from verifying)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework import serializers, viewsets
from rest_framework.test import APIRequestFactory, force_authenticate

from clarifications import services
from clarifications.enums import Channel
from clarifications.models import Petition
from core.api_transitions import TransitionMixin
from core.enums import Role
from core.errors import ActionRefused, NotAllowedNow
from tests.factories import make_user

pytestmark = pytest.mark.django_db


class NoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=5)


class PetitionOutput(serializers.ModelSerializer):
    class Meta:
        model = Petition
        fields = ("id", "state")


class PetitionTransitions(TransitionMixin, viewsets.GenericViewSet):
    queryset = Petition.objects.all()
    transition_actions = ("verify", "conclude")
    transition_input_class = NoteInput
    transition_output_class = PetitionOutput
    permitted = True
    outcome = None  # an exception to raise, or "hide" to take the petition out of sight
    hidden = False

    def get_object(self):
        if PetitionTransitions.hidden:
            raise Http404("gone from sight")
        return super().get_object()

    def transition_permitted(self, user, obj, action):
        return self.permitted

    def perform_transition(self, obj, *, actor, action, serializer):
        assert (actor, serializer.validated_data) == (self.request.user, {"note": "好"})
        if isinstance(self.outcome, Exception):
            raise self.outcome
        Petition.objects.filter(pk=obj.pk).update(state="verifying")
        if self.outcome == "hide":
            PetitionTransitions.hidden = True


@pytest.fixture
def petition(world):
    handler = make_user("tr_handler", Role.INVESTIGATOR, authorities=[world.county_a_org])
    return services.petition_create(
        actor=handler, authority=world.county_a_org, received_on=dt.date(2026, 3, 2),
        channel=Channel.LETTER, cadre=world.cadre_a1, allegations="反映问题。",
    )


@pytest.fixture(autouse=True)
def reset():
    yield
    PetitionTransitions.permitted, PetitionTransitions.outcome = True, None
    PetitionTransitions.hidden = False


def post(petition, action, data=None, **behaviour):
    for name, value in behaviour.items():
        setattr(PetitionTransitions, name, value)
    request = APIRequestFactory().post("/", data if data is not None else {"note": "好"},
                                       format="json")
    force_authenticate(request, user=petition.created_by)
    view = PetitionTransitions.as_view({"post": "transition"})
    response = view(request, pk=petition.pk, action=action)
    petition.refresh_from_db()
    return response.status_code, response.data


def test_a_permitted_action_answers_the_object_as_it_is_now(petition):
    assert post(petition, "verify") == (200, {"id": petition.pk, "state": "verifying"})


def test_an_action_that_takes_the_object_out_of_sight_answers_no_state(petition):
    assert post(petition, "verify", outcome="hide") == (200, {"id": petition.pk, "state": None})


def test_an_action_not_offered_is_404(petition):
    status, data = post(petition, "delete")
    assert (status, data["error"]["code"]) == (404, "not_found")
    assert post(petition, "__init__")[0] == 404


def test_an_action_the_state_does_not_allow_is_409_before_the_permission(petition):
    status, data = post(petition, "conclude", permitted=False)
    assert (status, data["error"]["code"]) == (409, "conflict")
    assert petition.state == "received"


def test_an_action_the_user_may_not_take_is_403(petition):
    status, data = post(petition, "verify", permitted=False)
    assert (status, data["error"]["code"]) == (403, "permission_denied")
    assert petition.state == "received"


def test_bad_input_is_400_next_to_its_field(petition):
    status, data = post(petition, "verify", {"note": "太长的一段说明"})
    assert (status, list(data["error"]["fields"])) == (400, ["note"])
    assert petition.state == "received"


CONFLICT = "当前状态下不能进行此操作，或尚不具备进行此操作的条件。"  # the default


@pytest.mark.parametrize(
    ("raised", "status", "code", "message"),
    [
        (NotAllowedNow(), 409, "conflict", CONFLICT),
        (NotAllowedNow("他人已先行操作。"), 409, "conflict", "他人已先行操作。"),
        (ActionRefused("须先听取本人说明。"), 400, "refused", "须先听取本人说明。"),
        (DjangoPermissionDenied("只有核查人员可以办理。"), 403, "permission_denied",
         "只有核查人员可以办理。"),
        (ValidationError("尚未满足条件。"), 409, "conflict", "尚未满足条件。"),
    ],
)
def test_service_refusals_map_to_their_status(petition, raised, status, code, message):
    answered, data = post(petition, "verify", outcome=raised)
    assert (answered, data["error"]["code"], data["error"]["message"]) == (status, code, message)
    assert petition.state == "received"


def test_a_field_error_from_the_service_is_400_with_the_field(petition):
    status, data = post(petition, "verify", outcome=ValidationError({"note": ["不能为空。"]}))
    assert (status, data["error"]["fields"]) == (400, {"note": ["不能为空。"]})
