"""Reading the transitions a model declares with django-fsm-2, through its public API only.

`declared(obj, action)` is the transition `action` declares from the object's current state
(None when the state has none); `allowed(obj, action, user)` says whether the state, the
transition's conditions and its permission let `user` take it now; `allowed_names` lists the
actions a page or the API may offer. Nothing here changes a state: each workflow's one
transition function does.
"""

from __future__ import annotations

from django_fsm import Transition

ANY_SOURCES = ("*", "+")


def _transitions(obj, field: str = "state"):
    return getattr(obj, f"get_all_{field}_transitions")()


def declared(obj, action: str, *, field: str = "state") -> Transition | None:
    """The transition named `action` whose source is the object's current state."""
    state = getattr(obj, field)
    found = None
    for transition in _transitions(obj, field):
        if transition.name != action:
            continue
        if transition.source == state:
            return transition
        if transition.source == "*" or (transition.source == "+" and transition.target != state):
            found = transition
    return found


def conditions_met(obj, transition: Transition) -> bool:
    return all(condition(obj) for condition in transition.conditions)


def permitted(obj, action: str, user, *, field: str = "state") -> bool:
    """The state allows `action` and the user passes its permission (conditions not checked)."""
    transition = declared(obj, action, field=field)
    return transition is not None and transition.has_perm(obj, user)


def allowed(obj, action: str, user=None, *, field: str = "state") -> bool:
    """State, conditions and (with a user) the permission all allow `action` now."""
    transition = declared(obj, action, field=field)
    if transition is None or not conditions_met(obj, transition):
        return False
    return user is None or transition.has_perm(obj, user)


def allowed_names(obj, actions, user=None, *, field: str = "state") -> list[str]:
    """Of `actions` (in that order), those `allowed` now."""
    return [name for name in actions if allowed(obj, name, user, field=field)]
