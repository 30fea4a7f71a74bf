"""The demo up/down data: seeded through the services as the demo staff, in several
states, once (demo.promotions, manage.py seed_demo_promotions)."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cadres.models import PositionRecord
from core.models import AuditEvent, IssuedDocument, User
from promotions.models import BonusAllocation, Commendation, ExceptionalRequest, Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEBUG = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    call_command("seed_demo", stdout=io.StringIO())  # the size scripts/dev.sh seeds
    return settings


@pytest.fixture
def evidence(demo):
    call_command("seed_assessments", stdout=io.StringIO())  # five years, as dev.sh
    return demo


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo_promotions", stdout=out)
    return out.getvalue()


def test_seed_demo_promotions_scans_and_walks_proposals(
    evidence, django_capture_on_commit_callbacks
):
    last = timezone.localdate().year - 1
    with django_capture_on_commit_callbacks(execute=True):
        output = seed()
    # 济南市's own measure (seed 000/004) has none of seed 003's seven trigger areas: the scan
    # fires on the annual grade rule only
    assert f"{last - 4}: 1, {last - 3}: 2, {last - 2}: 1, {last - 1}: 2, {last}: 0" in output
    assert Proposal.objects.count() == 7
    assert Proposal.objects.filter(clause="staff").count() == 1
    assert Counter(Proposal.objects.values_list("state", flat=True)) == {
        "proposed": 3,
        "inspecting": 1,
        "decided": 1,
        "executed": 2,
    }
    executed = Proposal.objects.filter(state="executed").select_related("position", "cadre")
    assert sorted((p.area, p.method, p.position.move) for p in executed) == [
        ("incompetent_grade", "demote", "demoted"),
        ("incompetent_grade", "non_leadership", "to_non_leadership"),
    ]
    for proposal in executed:
        assert proposal.cadre.positions.filter(end_date__isnull=True).get() == proposal.position
    demoted = executed.get(method="demote")
    assert (demoted.position.rank, demoted.cadre.rank) == (65, 65)
    kept = Proposal.objects.get(state="decided")
    assert (kept.area, kept.decision, kept.method) == ("incompetent_grade", "keep", "")
    assert kept.decision_reason.startswith("经考察谈话")
    staff = Proposal.objects.get(clause="staff")
    assert (staff.area, staff.year, staff.created_by.username) == ("unfit", last, "clerk")
    assert [row["text"] for row in staff.evidence][0] == f"{last}年度考核结果通知"
    assert Proposal.objects.exclude(authority__name="中共济南市委组织部").count() == 0
    assert Counter(
        IssuedDocument.objects.filter(kind__startswith="adjustment_").values_list("kind", flat=True)
    ) == {
        "adjustment_proposal": 4,
        "adjustment_decision": 3,
    }
    actions = Counter(
        AuditEvent.objects.filter(action__startswith="promotions.proposal.").values_list(
            "action", "actor__username"
        )
    )
    assert actions == {
        ("promotions.proposal.create", "clerk"): 7,
        ("promotions.proposal.inspect", "investigator"): 4,
        ("promotions.proposal.decide", "leader"): 3,
        ("promotions.proposal.execute", "clerk"): 2,
    }
    assert "7 (3 proposed, 1 inspecting, 1 decided, 2 executed)" in output
    assert set(Proposal.objects.values_list("area", flat=True)) == {"incompetent_grade", "unfit"}


def test_seed_demo_promotions_requests_commendations_and_bonus(evidence):
    last = timezone.localdate().year - 1
    seed()
    requests = list(ExceptionalRequest.objects.order_by("pk"))
    assert [(r.situation, r.state, r.current_rank, r.target_rank, r.waived) for r in requests] == [
        ("chucai", "approved", 85, 115, ["rank_step"]),
        ("outstanding_results", "submitted", 105, 115, ["years_in_rank"]),
    ]
    assert requests[0].decided_by.username == "leader"
    named = Commendation.objects.get(year=last, kind="outstanding", cadre__isnull=False)
    assert named.cadre_id == requests[0].cadre_id
    rows = Commendation.objects.order_by("year", "pk")
    assert [(c.year, c.kind, c.cadre_id is None) for c in rows] == [
        (last - 2, "outstanding", False),
        (last - 2, "commended", False),
        (last - 2, "outstanding", True),
        (last - 1, "outstanding", False),
        (last - 1, "merit_third", False),
        (last - 1, "title", True),
        (last, "outstanding", False),
        (last, "merit_second", False),
        (last, "outstanding", True),
    ]
    assert len({c.cadre_id for c in rows if c.cadre_id}) == 6
    proposed = set(Proposal.objects.values_list("cadre_id", flat=True))
    assert proposed & {c.cadre_id for c in rows} == set()  # no praise for the adjusted
    on_list = Commendation.objects.filter(
        kind="outstanding",
        cadre__memberships__talent_list__code="outstanding",
    )
    assert on_list.count() == 3  # the 出彩型 list, as no city-managed cadre is graded 优秀
    # 济南市's measure grants no 十强县 bonus (seed 003 is Shaanxi's): nothing is allocated
    assert BonusAllocation.objects.count() == 0


def test_seed_demo_promotions_without_evidence_proposes_on_staff_grounds(demo):
    output = seed()
    assert "fired no trigger; 3 proposals made on staff grounds instead" in output
    assert Counter(Proposal.objects.values_list("area", "state")) == {
        ("unfit", "executed"): 1,
        ("incompetent", "executed"): 1,
        ("unsuitable", "decided"): 1,
        ("unfit", "proposed"): 1,
    }
    assert Commendation.objects.count() == 9
    assert ExceptionalRequest.objects.count() == 2
    assert BonusAllocation.objects.count() == 0  # no ranks, no top county
    assert "no county with a bonus" in output


def test_seed_demo_promotions_runs_once(evidence):
    seed()
    positions = PositionRecord.objects.count()
    assert "nothing changed" in seed()
    assert (Proposal.objects.count(), Commendation.objects.count()) == (7, 9)
    assert (ExceptionalRequest.objects.count(), BonusAllocation.objects.count()) == (2, 0)
    assert PositionRecord.objects.count() == positions


def test_seed_demo_promotions_needs_the_demo_logins(settings):
    with pytest.raises(CommandError, match="seed_demo"):
        seed()
    assert Proposal.objects.count() == 0


def test_seed_demo_promotions_needs_the_approving_leader(demo):
    User.objects.get(username="leader").groups.clear()
    with pytest.raises(CommandError, match="seed_demo"):
        seed()
    assert (Proposal.objects.count(), Commendation.objects.count()) == (0, 0)
