"""Builds N decided-to-be cases in a fresh embedded database (run as a script by
tests/ops/test_embedded_concurrency.py): one county, its org department, N cadres each
with their own case at the committee stage, the meeting recorded, and a session for the
approving leader. Prints JSON: the leader's session key and each case's (case, entry,
meeting) ids."""

from __future__ import annotations

import contextlib
import json
import sys
from types import SimpleNamespace

import django

django.setup()

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from cadres.enums import ManagementLevel, UnitKind  # noqa: E402
from core.enums import Role  # noqa: E402
from tests.factories import CadreFactory, make_authority, make_unit, make_user  # noqa: E402
from tests.tolerance.conftest import Flow  # noqa: E402


def main(count: int) -> dict:
    city = make_unit("济南市", kind=UnitKind.CITY, code="3701")
    county = make_unit("甲县", kind=UnitKind.COUNTY, parent=city, code="370124")
    town = make_unit("甲县城关镇", kind=UnitKind.TOWNSHIP, parent=county, code="37012401")
    org = make_authority(
        "中共甲县县委组织部", roots=[county], levels=[ManagementLevel.COUNTY], short_name="甲组"
    )
    a = [org]
    staff = SimpleNamespace(
        clerk=make_user("t_clerk", Role.INTAKE_CLERK, authorities=a),
        investigator=make_user("t_inv", Role.INVESTIGATOR, authorities=a),
        members=[
            make_user(f"t_member{i}", Role.COMMITTEE_MEMBER, authorities=a) for i in range(1, 4)
        ],
        leader=make_user("t_leader", Role.APPROVING_LEADER, authorities=a),
    )
    from tests.policy_support import publish_county_measures
    from tolerance.models import CommitteeMember

    publish_county_measures(county)

    for member in staff.members:
        CommitteeMember.objects.create(authority=org, user=member, title="委员")
    cases = []
    for number in range(count):
        cadre = CadreFactory(name=f"干部{number:02d}", unit=town)
        user = make_user(f"t_cadre{number}", Role.CADRE, cadre=cadre)
        flow = Flow(SimpleNamespace(cadre_a1=cadre), staff, lambda **kw: contextlib.nullcontext())
        case = flow.deliberating(by=user, cadres=[cadre])
        meeting = flow.meeting(case)
        entry = case.entries.get()
        cases.append({"case": case.pk, "entry": entry.pk, "meeting": meeting.pk})
    # The conclusion is recorded by a member present at the meeting (the policy's default).
    decider = staff.members[0]
    session = SessionStore()
    session["_auth_user_id"] = str(decider.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = decider.get_session_auth_hash()
    session.create()
    return {"session": session.session_key, "cases": cases}


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
