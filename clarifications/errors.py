class ClarificationError(Exception):
    """A request the petition's state or the user's role does not allow; the message says why."""
