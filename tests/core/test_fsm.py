from core import fsm
from core.enums import Role
from promotions.enums import ExceptionalState
from promotions.models import ExceptionalRequest
from tests.factories import make_user
from tolerance.enums import CaseState
from tolerance.models import Case


def test_declared_transition_follows_the_state():
    request = ExceptionalRequest(state=ExceptionalState.DRAFT)
    assert fsm.declared(request, "submit").target == ExceptionalState.SUBMITTED
    assert fsm.declared(request, "approve") is None
    assert fsm.allowed_names(request, ("submit", "approve", "reject")) == ["submit"]
    submitted = ExceptionalRequest(state=ExceptionalState.SUBMITTED)
    assert fsm.allowed_names(submitted, ("submit", "approve", "reject")) == ["approve", "reject"]


def test_unknown_action_is_declared_nowhere():
    assert fsm.declared(ExceptionalRequest(state=ExceptionalState.DRAFT), "publish") is None


def test_permission_of_the_declared_transition(db, world):
    clerk = make_user("fsm_clerk", Role.INTAKE_CLERK, authorities=[world.county_a_org])
    cadre = make_user("fsm_cadre", Role.CADRE)
    case = Case(state=CaseState.SUBMITTED, authority=world.county_a_org)
    assert fsm.permitted(case, "accept", clerk) is True
    assert fsm.permitted(case, "accept", cadre) is False
    assert fsm.permitted(case, "decide", clerk) is False  # the state has no such step
    assert fsm.allowed(case, "accept", clerk) is True
    assert fsm.allowed(case, "accept", cadre) is False
