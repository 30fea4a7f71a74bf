"""readable_documents(user) answers as get_document_for_user does, document by document."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from core.document_access import (
    RULES,
    get_document_for_user,
    readable_document_paths,
    readable_documents,
)
from core.models import DocumentKind, IssuedDocument
from register.access import can_use_register, get_export_for_user
from register.models import ExportJob
from tests.register.support import *  # noqa: F403 - the fixtures
from tests.register.support import add_documents, all_documents
from tolerance.statistics import can_view_statistics

pytestmark = pytest.mark.django_db

Y = timezone.localdate().year

PERSONAS = [
    "admin", "clerk_a", "investigator_a", "clerk_city", "auditor_a", "auditor_city",
    "auditor_both", "auditor_nowhere", "discipline", "hr_a1", "zhang", "zhao", "wang",
    "granted", "outsider",
]


def _one_by_one(user) -> set[int]:
    readable = set()
    for document in all_documents():
        try:
            get_document_for_user(user, document.pk)
        except Http404:
            continue
        readable.add(document.pk)
    return readable


def test_readable_document_paths_select_what_readable_documents_does(ledger):
    """The register reads each access path on its own (core.paging): their union is the
    rule's set, persona by persona, and each path alone selects nothing unreadable."""
    disagreements = {}
    for persona in PERSONAS:
        user = ledger.people[persona]
        readable = set(readable_documents(user).values_list("pk", flat=True))
        paths = readable_document_paths(user)
        if paths is None:
            assert user.is_administrator
            continue
        union = set()
        for path in paths:
            union |= set(IssuedDocument.objects.filter(path).values_list("pk", flat=True))
        if union != readable:
            disagreements[persona] = (sorted(union), sorted(readable))
    assert disagreements == {}


def test_ledger_holds_every_kind_of_tolerance_document(ledger):
    assert sorted(IssuedDocument.objects.values_list("kind", flat=True)) == [
        "acceptance_notice",
        "acceptance_notice",
        "acceptance_notice",
        "appeal_decision",
        "non_acceptance_notice",
        "tolerance_ruling",
        "tolerance_ruling",
        "tolerance_ruling",
        "tolerance_ruling",
    ]


def test_readable_documents_agrees_with_get_document_for_user(ledger):
    disagreements = {}
    for persona in PERSONAS:
        user = ledger.people[persona]
        together = set(readable_documents(user).values_list("pk", flat=True))
        one_by_one = _one_by_one(user)
        if together != one_by_one:
            disagreements[persona] = (sorted(together), sorted(one_by_one))
    assert disagreements == {}


def _numbers(user) -> list[str]:
    return sorted(readable_documents(user).values_list("number", flat=True))


A1 = [f"甲组容受〔{Y}〕1号", f"甲组容〔{Y}〕1号", f"甲组容复〔{Y}〕1号"]
A2 = [f"甲组容受〔{Y}〕2号", f"甲组容〔{Y}〕2号", f"甲组容〔{Y}〕3号"]
A3 = [f"甲组容不受〔{Y}〕1号"]
C1 = [f"济组容受〔{Y}〕1号", f"济组容〔{Y}〕1号"]


def test_auditors_read_every_document_of_their_authorities_and_nothing_else(ledger):
    people = ledger.people
    assert _numbers(people["auditor_a"]) == sorted(A1 + A2 + A3)
    assert _numbers(people["auditor_city"]) == sorted(C1)
    assert _numbers(people["auditor_both"]) == sorted(A1 + A2 + A3 + C1)
    assert _numbers(people["auditor_nowhere"]) == []
    assert _numbers(people["clerk_a"]) == sorted(A1 + A2 + A3)


def test_cadres_read_their_own_rulings_and_the_notices_of_their_cases(ledger):
    people = ledger.people
    zhao_ruling = IssuedDocument.objects.get(kind="tolerance_ruling", cadre__name="赵六").number
    # 张三 filed A1 and A3 himself (the filer sees all of it); in A2 he is one of two cadres.
    assert _numbers(people["zhang"]) == sorted(
        A1 + A3 + [n for n in A2 if n != zhao_ruling]
    )
    assert _numbers(people["zhao"]) == sorted([f"甲组容受〔{Y}〕2号", zhao_ruling])
    assert _numbers(people["wang"]) == sorted(C1)


def test_other_paths_read_only_what_the_case_rules_allow(ledger):
    people = ledger.people
    # The unit that applied for A2 filed it: every document of A2.
    assert _numbers(people["hr_a1"]) == sorted(A2)
    # A view_case grant shows the case with every cadre's documents (the grantee is none
    # of its cadres).
    assert _numbers(people["granted"]) == sorted(A2)
    # Discipline staff see the cases of cadres in their jurisdiction (here: all of them).
    assert _numbers(people["discipline"]) == sorted(A1 + A2 + A3 + C1)
    assert _numbers(people["outsider"]) == []
    assert _numbers(people["admin"]) == sorted(A1 + A2 + A3 + C1)


def test_nobody_inactive_or_anonymous_reads_anything(ledger):
    auditor = ledger.people["auditor_a"]
    auditor.is_active = False
    auditor.save()
    assert list(readable_documents(auditor)) == []
    assert list(readable_documents(AnonymousUser())) == []


def test_every_document_kind_has_its_owners_reading_rule():
    # A kind without a rule would be read by administrators only, in the register too.
    assert {kind: rule.check.__module__ for kind, rule in RULES.items()} == {
        DocumentKind.ACCEPTANCE_NOTICE: "tolerance.permissions",
        DocumentKind.NON_ACCEPTANCE_NOTICE: "tolerance.permissions",
        DocumentKind.TOLERANCE_RULING: "tolerance.permissions",
        DocumentKind.APPEAL_DECISION: "tolerance.permissions",
        DocumentKind.ADJUSTMENT_PROPOSAL: "promotions.proposals.permissions",
        DocumentKind.ADJUSTMENT_DECISION: "promotions.proposals.permissions",
        DocumentKind.CLARIFICATION_NOTICE: "clarifications.permissions",
        DocumentKind.EXCEPTIONAL_PROMOTION: "promotions.exceptional.documents",
    }


def test_who_may_use_the_register_and_the_statistics(ledger):
    people = ledger.people
    register = {name for name in PERSONAS if can_use_register(people[name])}
    statistics = {name for name in PERSONAS if can_view_statistics(people[name])}
    assert register == {
        "admin", "clerk_a", "investigator_a", "clerk_city", "auditor_a", "auditor_city",
        "auditor_both", "discipline", "zhang", "zhao", "wang",
    }
    assert statistics == register - {"zhang", "zhao", "wang"}


def test_an_export_is_its_requester_s_alone(ledger):
    people = ledger.people
    job = ExportJob.objects.create(requested_by=people["auditor_a"])
    assert get_export_for_user(people["auditor_a"], job.pk) == job
    for name in ("auditor_both", "admin", "outsider"):
        with pytest.raises(Http404):
            get_export_for_user(people[name], job.pk)
    with pytest.raises(Http404):
        get_export_for_user(people["auditor_a"], job.pk + 1)


def test_nothing_about_a_draft_reaches_an_auditor(ledger):
    # The workflow issues nothing for a draft; even if something did, auditors and staff
    # would not read it (the filer still would).
    (document,) = add_documents(ledger.a4, 1, kind="acceptance_notice")
    assert not readable_documents(ledger.people["auditor_a"]).filter(pk=document.pk).exists()
    assert not readable_documents(ledger.people["clerk_a"]).filter(pk=document.pk).exists()
    assert readable_documents(ledger.people["zhang"]).filter(pk=document.pk).exists()
    assert readable_documents(ledger.people["admin"]).filter(pk=document.pk).exists()


def test_each_access_path_selects_only_what_the_rule_reads_one_by_one(ledger):
    """The paths that read an authority's documents by their stored subject_authority (the
    register's page and count) select exactly what the object form of the rule reads,
    persona by persona: each path nothing more, all of them together nothing less. A
    document about a draft case (never issued in practice) stays with the draft: only
    administrators and those who see the draft read it."""
    add_documents(ledger.a4, 1)  # about a draft of county A: its staff do not see it
    disagreements = {}
    for persona in PERSONAS:
        user = ledger.people[persona]
        paths = readable_document_paths(user)
        if paths is None:
            continue
        one_by_one = _one_by_one(user)
        union = set()
        for path in paths:
            selected = set(IssuedDocument.objects.filter(path).values_list("pk", flat=True))
            if selected - one_by_one:
                disagreements[(persona, str(path))] = sorted(selected - one_by_one)
            union |= selected
        if union != one_by_one:
            disagreements[persona] = (sorted(union), sorted(one_by_one))
    assert disagreements == {}


@pytest.mark.parametrize("subject", ["case", "proposal"])
def test_a_subjects_authority_stays_once_a_document_is_about_it(
    ledger, world, on_postgres, subject
):
    """The copy the paths read (IssuedDocument.subject_authority) stays the subject's: the
    database refuses to move a case or a proposal to another authority once a document
    about it is issued (core migration 0020), and lets one without documents move."""
    from django.db import DatabaseError, transaction

    from promotions.enums import TriggerArea
    from promotions.models import Proposal
    from tolerance.models import Case

    if subject == "case":
        about, free = ledger.a1, ledger.a4
    else:

        def proposal(year):
            return Proposal.objects.create(
                authority=world.county_a_org,
                cadre=world.cadre_a1,
                unit=world.township_a1,
                area=TriggerArea.TARGET,
                year=year,
                clause="test",
            )

        about, free = proposal(2024), proposal(2025)
        from core.documents import document_issue

        document_issue(
            key="test.proposal",
            kind="adjustment_proposal",
            authority=world.county_a_org,
            series="调",
            title="调整建议",
            subject=about,
            render=lambda number, on: ("p.pdf", "application/pdf", b"%PDF-1.7\n"),
        )
    model = type(about)
    assert model in (Case, Proposal)
    with pytest.raises(DatabaseError, match="kept by its issued documents"), transaction.atomic():
        model.objects.filter(pk=about.pk).update(authority=world.city_org)
    about.refresh_from_db()
    assert about.authority == world.county_a_org
    model.objects.filter(pk=about.pk).update(authority=world.county_a_org)  # unchanged: fine
    model.objects.filter(pk=free.pk).update(authority=world.city_org)
    free.refresh_from_db()
    assert free.authority == world.city_org
