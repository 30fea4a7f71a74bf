"""The one refusal every service raises: a translated message for the person who asked.

A service that refuses (the state does not allow the step, a rule forbids it, the person
may not take it) raises `ActionRefused` or a subclass, inside its transaction, so nothing
is changed. Views show the message next to the page; the API answers 409 for
`NotAllowedNow` and 400 for the others (core.api_transitions).

`NotAllowedNow` says the state or the transition's conditions do not allow the step (the
API's 409); its subclass `StateChanged` is what the loser of a race hears: someone else
acted first, and this is the state the object is in now.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class ActionRefused(Exception):
    """A refusal with a message meant for the user; nothing was changed."""

    default = _("This action is not possible.")

    def __init__(self, message=None):
        self.message = message if message is not None else self.default
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class NotAllowedNow(ActionRefused):
    """The object's state or the transition's conditions do not allow the step now."""

    default = _("This action is not allowed in the current state.")


class StateChanged(NotAllowedNow):
    """The state no longer allows the step: someone acted first; `current` is the state now."""

    default = _("This action is not allowed in the current state.")

    def __init__(self, message=None, *, state=None):
        self.current = state
        if message is None and state is not None:
            message = _("Someone else was faster: this is now “%(state)s”.") % {"state": state}
        super().__init__(message)
