"""Who sees and acts on adjustment proposals: administrators everything; staff and auditors
their authorities'; organization-department staff act; outsiders see nothing (404)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from core.documents import document_issue
from core.enums import Role
from core.models import IssuedDocument
from promotions.enums import TriggerArea
from promotions.models import Proposal
from promotions.proposals.permissions import (
    can_act,
    can_read_document,
    can_scan,
    can_see_dashboard,
    get_cadre_for_eligibility,
    get_proposal_for_user,
    readable_documents_q,
    visible_proposal_paths,
    visible_proposals,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def people(world, personas):
    a, city = [world.county_a_org], [world.city_org]
    return {
        "admin": personas.admin,
        "clerk_a": personas.clerk_a,
        "leader_a": make_user("pp_leader", Role.APPROVING_LEADER, authorities=a),
        "auditor_a": personas.auditor,
        "clerk_city": personas.clerk_city,
        "discipline": personas.discipline,
        "hr": personas.hr_a1,
        "cadre": personas.cadre_a1,
        "outsider": personas.outsider,
        "clerk_nowhere": make_user("pp_clerk0", Role.INTAKE_CLERK),
        "auditor_city": make_user("pp_aud_c", Role.AUDITOR, authorities=city),
    }


@pytest.fixture
def proposals(world):
    def make(authority, cadre):
        return Proposal.objects.create(authority=authority, cadre=cadre, unit=cadre.unit,
                                       area=TriggerArea.TARGET, year=2024, clause="target.poor")

    return {"a": make(world.county_a_org, world.cadre_a1),
            "city": make(world.city_org, world.cadre_city)}


@pytest.fixture
def seen(proposals):
    names = {p.pk: n for n, p in proposals.items()}

    def names_seen_by(user) -> set[str]:
        return {names[pk] for pk in visible_proposals(user).values_list("pk", flat=True)}

    return names_seen_by


def test_each_persona_sees_exactly_its_authorities_proposals(people, seen):
    assert seen(people["admin"]) == {"a", "city"}
    assert seen(people["clerk_a"]) == {"a"}
    assert seen(people["auditor_a"]) == {"a"}
    assert seen(people["clerk_city"]) == {"city"}
    assert seen(people["auditor_city"]) == {"city"}
    for name in ("discipline", "hr", "cadre", "outsider", "clerk_nowhere"):
        assert seen(people[name]) == set(), name


def test_an_inactive_account_sees_nothing(people, seen):
    people["clerk_a"].is_active = False

    assert visible_proposal_paths(people["clerk_a"]) == []
    assert seen(people["clerk_a"]) == set()


def test_the_paths_are_one_per_authority(people, world, seen):
    both = make_user("pp_both", Role.AUDITOR, authorities=[world.county_a_org, world.city_org])

    assert visible_proposal_paths(people["admin"]) is None
    assert len(visible_proposal_paths(both)) == 2
    assert seen(both) == {"a", "city"}


def test_missing_and_forbidden_are_the_same_404(people, proposals):
    assert get_proposal_for_user(people["clerk_a"], proposals["a"].pk) == proposals["a"]
    with pytest.raises(Http404):
        get_proposal_for_user(people["clerk_a"], proposals["city"].pk)
    with pytest.raises(Http404):
        get_proposal_for_user(people["clerk_a"], proposals["city"].pk + 100)


def test_only_the_org_department_of_the_authority_acts(people, proposals):
    a = proposals["a"]

    assert can_act(people["admin"], a)
    assert can_act(people["clerk_a"], a)
    assert can_act(people["leader_a"], a)
    for name in ("auditor_a", "clerk_city", "discipline", "hr", "outsider"):
        assert not can_act(people[name], a), name


def test_who_may_scan_and_see_the_dashboard(people):
    assert {n for n, u in people.items() if can_scan(u)} == {
        "admin", "clerk_a", "leader_a", "clerk_city"
    }
    assert {n for n, u in people.items() if can_see_dashboard(u)} == {
        "admin", "clerk_a", "leader_a", "auditor_a", "clerk_city", "discipline",
        "clerk_nowhere", "auditor_city",
    }


def test_eligibility_follows_the_cadre_visibility(people, world):
    assert get_cadre_for_eligibility(people["clerk_a"], world.cadre_a1.pk) == world.cadre_a1
    with pytest.raises(Http404):
        get_cadre_for_eligibility(people["outsider"], world.cadre_a1.pk)


def test_documents_of_a_proposal_are_read_by_those_who_see_it(people, proposals, world):
    def render(number, issued_on):
        return f"{number}.pdf", "application/pdf", b"%PDF-1.7\n"

    document, _new = document_issue(
        key="test.proposal:1", kind="adjustment_proposal", authority=world.county_a_org,
        series="调", title="调整建议", render=render, subject=proposals["a"],
    )
    other = IssuedDocument(content_type=ContentType.objects.get_for_model(IssuedDocument),
                           object_id=proposals["a"].pk)

    readers = {n for n, u in people.items() if can_read_document(u, document)}
    assert readers == {"admin", "clerk_a", "leader_a", "auditor_a"}
    assert not can_read_document(people["admin"], other)
    for name, user in people.items():
        found = IssuedDocument.objects.filter(readable_documents_q(user))
        assert list(found) == ([document] if name in readers else []), name
