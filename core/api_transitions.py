"""One REST endpoint shape for every workflow's transitions.

`POST /api/<app>/<objects>/{id}/transitions/{action}/` takes `action` on the object through
the workflow's one transition function, and answers alike for every workflow:

- 404: not an action of this endpoint, or an object the user may not see;
- 409: the object's state or the transition's conditions do not allow the action (nobody
  could take it now), or someone else moved it first (core.errors.NotAllowedNow);
- 403: the state allows it, but not for this user;
- 400: the input is missing or invalid, or a rule refused it (core.errors.ActionRefused);
- 200: the object as the user now sees it (or `{"id", "state": null}` when the action took
  it out of their sight).

The viewset names its actions, the input and output serializers, who may take an action
(`transition_permitted`, by default the permission declared on the django-fsm transition,
read through core.fsm) and how to take it (`perform_transition`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django_fsm import can_proceed
from rest_framework.decorators import action as view_action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from . import fsm
from .api_errors import Conflict, Refused
from .errors import ActionRefused, NotAllowedNow


class TransitionMixin:
    """Adds the `transition` action to a viewset whose objects declare django-fsm transitions."""

    transition_actions: tuple[str, ...] = ()
    transition_input_class = None  # serializer of the action's input
    transition_output_class = None  # serializer of the object answered

    def transition_input_context(self, obj, action: str) -> dict:
        return {"action": action, "user": self.request.user}

    def transition_permitted(self, user, obj, action: str) -> bool:
        return fsm.permitted(obj, action, user)

    def perform_transition(self, obj, *, actor, action: str, data: dict):
        raise NotImplementedError

    @view_action(
        detail=True,
        methods=["post"],
        url_path="transitions/<str:action>",
        url_name="transition",
    )
    def transition(self, request, pk=None, action=None):
        if action not in self.transition_actions:
            raise NotFound()
        user = request.user
        obj = self.get_object()
        if not can_proceed(getattr(obj, action), check_conditions=False):
            raise Conflict()
        if not self.transition_permitted(user, obj, action):
            raise PermissionDenied()
        serializer = self.transition_input_class(
            data=request.data, context=self.transition_input_context(obj, action)
        )
        serializer.is_valid(raise_exception=True)
        try:
            self.perform_transition(obj, actor=user, action=action, serializer=serializer)
        except NotAllowedNow as exc:
            detail = None if exc.message is type(exc).default else str(exc.message)
            raise Conflict(detail) from exc
        except ActionRefused as exc:
            raise Refused(str(exc.message)) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # a condition, not a field
                raise Conflict(exc.messages[0]) from exc
            raise
        pk = obj.pk
        try:
            obj = self.get_object()
        except Http404:  # the action took the object out of the user's sight
            return Response({"id": pk, "state": None})
        return Response(
            self.transition_output_class(obj, context=self.get_serializer_context()).data
        )
