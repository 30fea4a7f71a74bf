from core.errors import ActionRefused, StateChanged


class ClarificationError(ActionRefused):
    """A request the petition's state or the user's role does not allow; the message says why."""


class PetitionStateChanged(StateChanged, ClarificationError):
    """Someone else moved the petition first; the message names its state now."""
