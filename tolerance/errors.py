"""Errors a tolerance service raises when it refuses: translated, and nothing changed."""

from django.utils.translation import gettext_lazy as _


class CaseError(Exception):
    """A refusal with a message meant for the user; `field` names the form field it is
    about ("__all__" for the form as a whole), so a page can show it there."""

    default = _("This action is not possible.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message if message is not None else self.default
        self.field = field
        super().__init__(str(self.message))


class TransitionRefused(CaseError):
    default = _("This action is not allowed for this case in its current state.")


class AlreadyDecided(CaseError):
    default = _("A conclusion has already been recorded for this cadre.")


class AppealLate(CaseError):
    pass


class RoutingError(CaseError):
    pass
