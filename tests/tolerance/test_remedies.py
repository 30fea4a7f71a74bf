"""Correction (纠错): remedial measures, moved forward, verified by the leader, overdue ones."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from django.utils import timezone, translation

from core.enums import Role
from core.models import AuditEvent
from tests.factories import make_user
from tolerance.enums import StartedBy
from tolerance.errors import CaseError
from tolerance.models import Remedy
from tolerance.models.review import RemedyStatus
from tolerance.remedies import overdue_remedies, remedy_add, remedy_set_status

TODAY = timezone.localdate()
DUE = TODAY + dt.timedelta(days=30)


@pytest.fixture(autouse=True)
def _dates_as_of_the_test(monkeypatch):
    """The dates as the code under test sees them: when the test runs, not when the module
    was collected (a run that crosses midnight in Asia/Shanghai would differ by a day)."""
    today = timezone.localdate()
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "TODAY", today)
    monkeypatch.setattr(module, "DUE", today + dt.timedelta(days=30))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def add(case, actor, *, measure="追回拨付偏差资金", owner="乡财政所", due_on=DUE):
    return remedy_add(case, actor=actor, measure=measure, owner=owner, due_on=due_on)


def test_remedy_added_by_the_authoritys_staff(flow, staff, world):
    case = flow.submitted()
    remedy = add(case, staff.clerk)
    assert (remedy.status, remedy.measure, remedy.owner, remedy.due_on, remedy.created_by) == (
        RemedyStatus.PLANNED, "追回拨付偏差资金", "乡财政所", DUE, staff.clerk
    )
    event = AuditEvent.objects.get(action="tolerance.remedy.add")
    assert (event.after, event.authority_id) == (
        {"remedy": remedy.pk, "due_on": DUE.isoformat(), "owner": "乡财政所"},
        world.county_a_org.pk,
    )
    add(case, staff.investigator)
    add(case, staff.leader)
    assert Remedy.objects.filter(case=case).count() == 3


def test_remedy_refused_to_others_and_on_drafts(flow, staff):
    case = flow.submitted()
    for actor in (staff.cadre, staff.hr, staff.members[0], staff.clerk_b, staff.outsider):
        with pytest.raises(CaseError) as error:
            add(case, actor)
        assert str(error.value) == "You cannot add remedial measures to this case."
    with pytest.raises(CaseError):
        add(flow.filed(by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INSPECTION), staff.clerk)
    with pytest.raises(CaseError) as error:
        add(case, staff.clerk, owner="  ")
    assert str(error.value) == "Say what is to be done and who is responsible."
    assert not Remedy.objects.exists()


def test_remedy_moves_forward_only(flow, staff):
    remedy = add(flow.submitted(), staff.clerk)
    remedy = remedy_set_status(remedy, actor=staff.investigator, status=RemedyStatus.IN_PROGRESS)
    for status in (RemedyStatus.PLANNED, RemedyStatus.IN_PROGRESS):
        with pytest.raises(CaseError) as error:
            remedy_set_status(remedy, actor=staff.clerk, status=status)
        assert str(error.value) == "A measure only moves forward."
    remedy = remedy_set_status(remedy, actor=staff.clerk, status=RemedyStatus.DONE)
    assert remedy.status == RemedyStatus.DONE
    assert list(AuditEvent.objects.filter(action="tolerance.remedy.status")
                .order_by("id").values_list("before", "after")) == [
        ({"remedy": remedy.pk, "status": "planned"},
         {"remedy": remedy.pk, "status": "in_progress"}),
        ({"remedy": remedy.pk, "status": "in_progress"}, {"remedy": remedy.pk, "status": "done"}),
    ]
    for actor, status in ((staff.outsider, RemedyStatus.VERIFIED), (staff.clerk, "finished")):
        with pytest.raises(CaseError) as error:
            remedy_set_status(remedy, actor=actor, status=status)
        assert str(error.value) == "You cannot change this measure."


def test_only_the_leader_verifies_with_a_written_check(flow, staff):
    remedy = add(flow.submitted(), staff.clerk)
    with pytest.raises(CaseError) as error:
        remedy_set_status(remedy, actor=staff.leader, status=RemedyStatus.VERIFIED,
                          verification="已核实")
    assert str(error.value) == "Only a measure that is done can be verified."
    remedy = remedy_set_status(remedy, actor=staff.clerk, status=RemedyStatus.DONE)
    with pytest.raises(CaseError) as error:
        remedy_set_status(remedy, actor=staff.clerk, status=RemedyStatus.VERIFIED,
                          verification="已核实")
    assert str(error.value) == "Only the approving leader verifies a measure."
    with pytest.raises(CaseError) as error:
        remedy_set_status(remedy, actor=staff.leader, status=RemedyStatus.VERIFIED,
                          verification=" ")
    assert str(error.value) == "Describe how the measure was verified."
    assert Remedy.objects.get(pk=remedy.pk).status == RemedyStatus.DONE
    verified = remedy_set_status(remedy, actor=staff.leader, status=RemedyStatus.VERIFIED,
                                 verification="资金已全额追回，有银行回单为证")
    stored = Remedy.objects.get(pk=remedy.pk)
    assert (stored.status, stored.verified_by, stored.verification) == (
        RemedyStatus.VERIFIED, staff.leader, "资金已全额追回，有银行回单为证"
    )
    assert stored.verified_at is not None and verified.verified_at == stored.verified_at
    assert AuditEvent.objects.filter(action="tolerance.remedy.status").latest("id").reason == (
        "资金已全额追回，有银行回单为证"
    )


def test_overdue_remedies_listed_oldest_first_within_reach(flow, staff, world):
    case = flow.submitted()
    late = add(case, staff.clerk, measure="整改一", due_on=TODAY - dt.timedelta(days=3))
    later = add(case, staff.clerk, measure="整改二", due_on=TODAY - dt.timedelta(days=1))
    remedy_set_status(later, actor=staff.clerk, status=RemedyStatus.IN_PROGRESS)
    done = add(case, staff.clerk, measure="整改三", due_on=TODAY - dt.timedelta(days=5))
    remedy_set_status(done, actor=staff.clerk, status=RemedyStatus.DONE)
    add(case, staff.clerk, measure="今天到期", due_on=TODAY)
    city_user = make_user("wangwu", Role.CADRE, cadre=world.cadre_city)
    city_case = flow.submitted(by=city_user, cadres=[world.cadre_city])
    city_clerk = staff.clerk_b
    elsewhere = add(city_case, city_clerk, measure="市里的整改",
                    due_on=TODAY - dt.timedelta(days=9))
    assert list(overdue_remedies()) == [elsewhere, late, later]
    assert list(overdue_remedies(user=staff.clerk)) == [late, later]
    assert list(overdue_remedies(user=city_clerk)) == [elsewhere]
    assert list(overdue_remedies(user=staff.outsider)) == []
    assert list(overdue_remedies(TODAY + dt.timedelta(days=1), user=staff.clerk)) == [
        late, later, Remedy.objects.get(measure="今天到期")
    ]


@pytest.mark.parametrize("size", [1, 4])
def test_overdue_remedies_query_count(size, flow, staff, django_assert_num_queries):
    case = flow.submitted()
    for i in range(size):
        add(case, staff.clerk, measure=f"整改{i}", due_on=TODAY - dt.timedelta(days=i + 1))
    list(overdue_remedies(user=staff.clerk))  # roles, authorities, content types cached
    with django_assert_num_queries(1):
        rows = [(r.measure, r.case.reference) for r in overdue_remedies(user=staff.clerk)]
    assert len(rows) == size
