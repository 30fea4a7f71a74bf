"""Errors a tolerance service raises when it refuses: translated, and nothing changed.

They are the core refusal (core.errors) under the names the tolerance code reads best with.
"""

from django.utils.translation import gettext_lazy as _

from core.errors import ActionRefused, StateChanged


class CaseError(ActionRefused):
    """A refusal with a message meant for the user; `field` names the form field it is
    about ("__all__" for the form as a whole), so a page can show it there."""

    def __init__(self, message=None, *, field: str | None = None):
        self.field = field
        super().__init__(message)


class TransitionRefused(StateChanged, CaseError):
    default = _("This action is not allowed for this case in its current state.")


class AlreadyDecided(CaseError):
    default = _("A conclusion has already been recorded for this cadre.")


class AppealLate(CaseError):
    pass


class RoutingError(CaseError):
    pass
