"""The committee roster: who may sit on it, adding and renewing a seat, each change audited."""

import pytest

from core.enums import Role
from core.models import AuditEvent
from tests.factories import make_user
from tolerance.committee import committee_seat_add, seat_problem
from tolerance.errors import CaseError
from tolerance.models import CommitteeMember

pytestmark = pytest.mark.django_db

NO_ROLE = "只有委员会成员或审批领导可以列入集体研究成员名单。"
NOT_HERE = "此人不属于该机关。"


@pytest.fixture
def people(world):
    a = [world.county_a_org]
    return {
        "member": make_user("c_member", Role.COMMITTEE_MEMBER, authorities=a),
        "leader": make_user("c_leader", Role.APPROVING_LEADER, authorities=a),
        "clerk": make_user("c_clerk", Role.INTAKE_CLERK, authorities=a),
        "city_member": make_user(
            "c_city", Role.COMMITTEE_MEMBER, authorities=[world.city_org]
        ),
        "admin": make_user("c_admin", Role.ADMIN),
    }


def test_members_and_leaders_of_the_authority_may_sit(world, people):
    assert seat_problem(people["member"], world.county_a_org) == ""
    assert seat_problem(people["leader"], world.county_a_org) == ""


def test_other_roles_may_not_sit(world, people):
    assert seat_problem(people["clerk"], world.county_a_org) == NO_ROLE
    assert seat_problem(people["admin"], world.county_a_org) == NO_ROLE


def test_a_member_of_another_authority_may_not_sit(world, people):
    assert seat_problem(people["city_member"], world.county_a_org) == NOT_HERE
    assert seat_problem(people["city_member"], world.city_org) == ""


def test_adding_a_seat_creates_it_and_audits_it(world, people):
    seat = committee_seat_add(
        world.county_a_org, people["member"], actor=people["admin"], title="主任"
    )

    assert (seat.authority, seat.user, seat.title, seat.active) == (
        world.county_a_org, people["member"], "主任", True
    )
    event = AuditEvent.objects.get(action="tolerance.committee.add")
    assert event.actor == people["admin"]
    assert event.object_id == str(seat.pk)
    assert event.authority_id == world.county_a_org.pk
    assert event.before is None
    assert event.after == {
        "authority": world.county_a_org.pk,
        "user": people["member"].pk,
        "title": "主任",
        "active": True,
    }


def test_adding_the_same_seat_again_changes_nothing(world, people):
    first = committee_seat_add(world.county_a_org, people["member"], actor=None, title="委员")

    again = committee_seat_add(world.county_a_org, people["member"], actor=None, title="委员")

    assert again.pk == first.pk
    assert CommitteeMember.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="tolerance.committee.").count() == 1


def test_a_new_title_updates_the_seat_with_its_before(world, people):
    seat = committee_seat_add(world.county_a_org, people["member"], actor=None, title="委员")

    committee_seat_add(world.county_a_org, people["member"], actor=None, title="主任")

    seat.refresh_from_db()
    assert seat.title == "主任"
    event = AuditEvent.objects.get(action="tolerance.committee.update")
    assert event.before == {"title": "委员", "active": True}
    assert event.after["title"] == "主任"


def test_an_ended_seat_is_renewed(world, people):
    seat = committee_seat_add(world.county_a_org, people["leader"], actor=None, title="委员")
    CommitteeMember.objects.filter(pk=seat.pk).update(active=False)

    renewed = committee_seat_add(world.county_a_org, people["leader"], actor=None, title="委员")

    assert renewed.pk == seat.pk
    assert CommitteeMember.objects.get(pk=seat.pk).active is True
    event = AuditEvent.objects.get(action="tolerance.committee.update")
    assert event.before == {"title": "委员", "active": False}


def test_a_refused_seat_is_not_created_nor_audited(world, people):
    with pytest.raises(CaseError) as error:
        committee_seat_add(world.county_a_org, people["city_member"], actor=people["admin"])

    assert str(error.value) == NOT_HERE
    assert not CommitteeMember.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="tolerance.committee.").exists()
