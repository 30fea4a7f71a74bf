"""Who sees and handles petitions, filings and clarification notices
(clarifications.permissions): the handling staff of the authority see the informant, other
readers see the petition masked, everyone else nothing (404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404

from clarifications import permissions as p
from clarifications.filings import filing_create
from clarifications.models import Petition
from core.documents import document_issue
from core.models import DocumentKind, IssuedDocument

from .conftest import CONTACT, INFORMANT

pytestmark = pytest.mark.django_db

READERS = ("handler", "discipline_a", "clerk", "leader", "auditor", "admin")
NOBODY = ("city_discipline", "cadre", "hr", "outsider")


def test_readers_see_the_authoritys_petitions_and_nobody_else_does(petitions, people):
    petition = petitions.received()
    for name in READERS:
        user = getattr(people, name)
        assert list(p.visible_petitions(user)) == [petition], name
        assert p.get_petition_for_user(user, petition.pk) == petition
        assert p.can_see_register(user) is True, name
    for name in NOBODY:
        user = getattr(people, name)
        assert list(p.visible_petitions(user)) == [], name
        with pytest.raises(Http404):
            p.get_petition_for_user(user, petition.pk)
        # the city commission's staff open the pages of their own authority's petitions
        assert p.can_see_register(user) is (name == "city_discipline"), name
    with pytest.raises(Http404):
        p.get_petition_for_user(people.handler, petition.pk + 1000)  # missing, alike


def test_petition_paths_select_what_visible_petitions_does(petitions, people, world):
    """The list reads one path per handling authority (visible_petition_paths); their union
    is visible_petitions for everyone, and an administrator has no paths (everything)."""
    petitions.received()
    petitions.received(received_on=dt.date(2025, 6, 1))
    assert p.visible_petition_paths(people.admin) is None
    for name in (*READERS[:-1], *NOBODY):
        user = getattr(people, name)
        union = set()
        for path in p.visible_petition_paths(user):
            union |= set(Petition.objects.filter(path).values_list("pk", flat=True))
        assert union == set(p.visible_petitions(user).values_list("pk", flat=True)), name
    assert p.visible_petition_paths(people.clerk) == [Q(authority_id=world.county_a_org.pk)]


def test_inactive_and_anonymous_users_see_nothing(petitions, people):
    petitions.received()
    people.admin.is_active = False
    for user in (people.admin, AnonymousUser()):
        assert list(p.visible_petitions(user)) == []
        assert list(p.visible_filings(user)) == []
        assert p.can_see_register(user) is False
        assert p.handling_authority_ids(user) == frozenset()
        assert p.filing_authority_ids(user) == frozenset()


def test_only_the_handling_staff_handle_and_see_the_informant(petitions, people, world):
    petition = petitions.received()
    for name in ("handler", "discipline_a"):
        user = getattr(people, name)
        assert p.handling_authority_ids(user) == frozenset({world.county_a_org.pk})
        assert (p.can_handle(user, petition), p.can_register(user)) == (True, True)
        assert p.informant_display(user, petition) == (INFORMANT, CONTACT)
    for name in ("clerk", "leader", "auditor", "admin", "city_discipline", "cadre"):
        user = getattr(people, name)
        assert (p.can_handle(user, petition), p.sees_informant(user, petition)) == (
            False, False,
        ), name
        assert p.informant_display(user, petition) == (p.MASK, p.MASK), name
    assert p.can_register(people.city_discipline) is True  # handling staff of the commission
    assert p.can_register(people.clerk) is False


def test_an_anonymous_petition_says_so_to_everyone(petitions, people):
    petition = petitions.received()
    Petition.objects.filter(pk=petition.pk).update(
        anonymous=True, informant_name="", informant_contact=""
    )
    petition.refresh_from_db()
    for user in (people.handler, people.clerk):
        assert p.informant_display(user, petition) == ("匿名", "")


def test_filings_follow_the_authority_staff(world, staff, people):
    filing = filing_create(
        actor=staff.clerk, authority=world.county_a_org, unit=world.township_a1,
        measure="乡村振兴资金拨付改革试点", description="", risk_level="medium",
        risk_assessment="设置双人复核。", argument="经论证可行。", argued_on=dt.date(2024, 12, 1),
        filed_on=dt.date(2024, 12, 20), approving_body="甲县县委深改办",
    )
    for name in READERS:
        assert list(p.visible_filings(getattr(people, name))) == [filing], name
    for name in NOBODY:
        user = getattr(people, name)
        assert list(p.visible_filings(user)) == [], name
        with pytest.raises(Http404):
            p.get_filing_for_user(user, filing.pk)
    assert p.get_filing_for_user(people.clerk, filing.pk) == filing
    assert p.filing_authority_ids(people.clerk) == frozenset({world.county_a_org.pk})
    assert p.filing_authority_ids(people.auditor) == frozenset()  # reads, keeps no register


def test_org_department_staff_of_the_case_cite_filings(flow, people, staff):
    case = flow.submitted()
    assert p.can_cite_in_case(people.clerk, case) is True
    assert p.can_cite_in_case(people.handler, case) is True
    assert p.can_cite_in_case(people.discipline_a, case) is False  # not org department
    assert p.can_cite_in_case(staff.clerk_b, case) is False  # another authority
    assert p.can_cite_in_case(AnonymousUser(), case) is False


def _notice(world, clarification):
    document, _ = document_issue(
        key=f"notice-{clarification.pk}", kind=DocumentKind.CLARIFICATION_NOTICE,
        authority=world.county_a_org, series="澄", title="澄清正名通知书",
        render=lambda number, on: ("notice.pdf", "application/pdf", b"%PDF-1.7 notice"),
        subject=clarification, cadre=world.cadre_a1,
    )
    return document


def test_notice_readers_in_both_forms(petitions, people, world, media):
    notice = _notice(world, petitions.clarified())
    other, _ = document_issue(
        key="ruling", kind=DocumentKind.TOLERANCE_RULING, authority=world.county_a_org,
        series="容", title="决定书",
        render=lambda number, on: ("r.pdf", "application/pdf", b"%PDF-1.7 r"),
        cadre=world.cadre_a1,
    )
    for name in (*READERS, "cadre"):
        user = getattr(people, name)
        assert p.can_read_notice(user, notice) is True, name
        assert p.can_read_notice(user, other) is False, name  # not a clarification notice
        readable = IssuedDocument.objects.filter(p.readable_notices_q(user))
        assert list(readable) == [notice], name
    for name in ("city_discipline", "hr", "outsider"):
        user = getattr(people, name)
        assert p.can_read_notice(user, notice) is False, name
        assert not IssuedDocument.objects.filter(p.readable_notices_q(user)).exists(), name
