"""Fixtures of the register, export and statistics tests: a small archive of real documents.

Documents are issued through the tolerance services (tolerance.rulings via the workflow's
tasks), with the PDF renderer swapped for a fast fake so that the tests stay quick; the
numbers, keys, subjects, cadres and hashes are the real ones.

    county A org dept (甲组)
      A1  张三, by himself; lighter, changed to mitigated on appeal  notice, ruling, appeal decision
      A2  张三 + 赵六, by the unit (HR of township A1); not tolerated  notice, 2 rulings
      A3  张三, by himself; not accepted                              non-acceptance notice
      A4  张三, draft                                                 —
    city org dept (济组)
      C1  王五, ex officio; lighter treatment                         notice, ruling
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from core.enums import Role
from core.models import IssuedDocument, User
from tests.factories import CadreFactory, make_user
from tests.tolerance.conftest import (  # noqa: F401
    JINAN_FINDINGS,
    TOLERABLE_FINDINGS,
    Flow,
    Staff,
    flow,
    staff,
)
from tolerance.enums import Outcome, StartedBy
from tolerance.models import Case

# The fixtures a test module takes with `from tests.register.support import *`.
__all__ = ["fast_pdf", "flow", "ledger", "media", "staff"]

UNIT_FINDINGS = {**TOLERABLE_FINDINGS, "situations": ["SX-02", "SX-03"]}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture(autouse=True)
def fast_pdf(monkeypatch):
    """A PDF renderer that costs nothing: a tiny PDF naming the template and the number."""

    def render_pdf(template, context):
        return f"%PDF-1.7\n% {template} {context['number']} {context['issued_on']}\n".encode()

    monkeypatch.setattr("tolerance.rulings.render_pdf", render_pdf)


def city_staff(world) -> Staff:
    from tolerance.models import CommitteeMember

    c = [world.city_org]
    people = Staff(
        clerk=make_user("c_clerk", Role.INTAKE_CLERK, authorities=c),
        investigator=make_user("c_inv", Role.INVESTIGATOR, authorities=c),
        other_investigator=make_user("c_inv2", Role.INVESTIGATOR, authorities=c),
        members=[
            make_user(f"c_member{i}", Role.COMMITTEE_MEMBER, authorities=c) for i in (1, 2, 3)
        ],
        leader=make_user("c_leader", Role.APPROVING_LEADER, authorities=c),
        reviewer=make_user("c_reviewer", Role.APPROVING_LEADER, authorities=c),
        cadre=make_user("c_cadre", Role.CADRE, cadre=world.cadre_city),
        hr=make_user("c_hr", Role.UNIT_HR, unit=world.bureau),
        outsider=make_user("c_outsider"),
        clerk_b=make_user("c_clerk_a", Role.INTAKE_CLERK, authorities=[world.county_a_org]),
    )
    for member in people.members:  # the city's committee roster
        CommitteeMember.objects.create(authority=world.city_org, user=member, title="委员")
    return people


@dataclass
class Ledger:
    a1: Case
    a2: Case
    a3: Case
    a4: Case
    c1: Case
    people: dict[str, User]

    def numbers(self, documents) -> list[str]:
        return sorted(d.number for d in documents)


def _appeal_changed(walk: Flow, case: Case, new_outcome: str) -> None:
    from tolerance.appeals import appeal_assign_reviewer, appeal_decide, appeal_file

    entry = case.entries.get()
    appeal = appeal_file(entry, actor=walk.staff.cadre, reason="处理过重")
    appeal = appeal_assign_reviewer(appeal, actor=walk.staff.leader, reviewer=walk.staff.reviewer)
    with walk.capture(execute=True):
        appeal_decide(appeal, actor=walk.staff.reviewer, new_outcome=new_outcome, reason="复核")
    walk.sign_rulings(case)  # the appeal decision: checked, signed off, issued


@pytest.fixture
def ledger(world, staff, flow, django_capture_on_commit_callbacks) -> Ledger:  # noqa: F811
    from tolerance.feedback import case_feed_back
    from tolerance.workflow import case_transition

    zhao = CadreFactory(name="赵六", unit=world.township_a1)
    a1 = case_feed_back(flow.decided(outcome=Outcome.LIGHTER), actor=staff.clerk,
                        method="in_person", delivered_on=timezone.localdate())
    _appeal_changed(flow, a1, Outcome.MITIGATED)
    a2 = flow.decided(
        outcome=Outcome.NOT_TOLERATED,
        findings=UNIT_FINDINGS,
        by=staff.hr,
        started_by=StartedBy.UNIT,
        cadres=[world.cadre_a1, zhao],
    )
    a3 = flow.submitted()
    with django_capture_on_commit_callbacks(execute=True):
        a3 = case_transition(a3, actor=staff.clerk, action="reject", reason="不属于受理范围")
    flow.sign_rulings(a3)  # the non-acceptance notice
    a4 = flow.filed()
    city = Flow(world, city_staff(world), django_capture_on_commit_callbacks)
    c1 = city.decided(
        outcome=Outcome.LIGHTER,
        findings=JINAN_FINDINGS,  # the city's authority: 济南市's measure
        by=city.staff.clerk,
        started_by=StartedBy.EX_OFFICIO_INSPECTION,
        cadres=[world.cadre_city],
    )
    granted = make_user("granted")
    assign_perm("tolerance.view_case", granted, a2)
    people = {
        "admin": make_user("r_admin", Role.ADMIN),
        "clerk_a": staff.clerk,
        "investigator_a": staff.investigator,
        "clerk_city": city.staff.clerk,
        "auditor_a": make_user("r_auditor_a", Role.AUDITOR, authorities=[world.county_a_org]),
        "auditor_city": make_user("r_auditor_c", Role.AUDITOR, authorities=[world.city_org]),
        "auditor_both": make_user(
            "r_auditor_ac", Role.AUDITOR, authorities=[world.county_a_org, world.city_org]
        ),
        "auditor_nowhere": make_user("r_auditor_0", Role.AUDITOR),
        "discipline": make_user(
            "r_discipline", Role.DISCIPLINE_STAFF, authorities=[world.city_discipline]
        ),
        "hr_a1": staff.hr,
        "zhang": staff.cadre,
        "zhao": make_user("r_zhao", Role.CADRE, cadre=zhao),
        "wang": city.staff.cadre,
        "granted": granted,
        "outsider": staff.outsider,
    }
    return Ledger(a1=a1, a2=a2, a3=a3, a4=a4, c1=c1, people=people)


def all_documents() -> list[IssuedDocument]:
    return list(IssuedDocument.objects.order_by("id"))


def add_documents(case: Case, n: int, *, cadre=None, kind: str = "tolerance_ruling") -> list:
    """n more documents about `case` (real rows through core.documents, tiny PDFs)."""
    from core.documents import document_issue

    def render(number, issued_on):
        return f"{number}.pdf", "application/pdf", f"%PDF-1.7\n% extra {number}\n".encode()

    start = IssuedDocument.objects.filter(key__startswith="test.extra:").count()
    return [
        document_issue(
            key=f"test.extra:{start + i}",
            kind=kind,
            authority=case.authority,
            series="容",
            title="容错认定决定书",
            render=render,
            subject=case,
            cadre=cadre,
        )[0]
        for i in range(n)
    ]
