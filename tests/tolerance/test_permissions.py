"""Who sees which tolerance case: everyone else gets the same 404 for it as for no case."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.http import Http404
from guardian.shortcuts import assign_perm, remove_perm

from cadres.enums import AuthorityKind, ManagementLevel
from core.document_access import readable_documents
from core.enums import Role
from core.models import User
from tests.factories import CadreFactory, fresh_user, make_authority, make_user
from tolerance import permissions
from tolerance.enums import StartedBy
from tolerance.models import Case
from tolerance.permissions import (
    allowed_actions,
    get_case_for_user,
    readable_case_documents,
    sees_all_entries,
    visible_case_branches,
    visible_cases,
    visible_entries,
)
from tolerance.rulings import documents_of_case
from tolerance.workflow import case_transition


@dataclass
class Others:
    """Personas beside `staff` (tests/conftest.py `personas` would log in 张三 a second time)."""

    admin: User
    auditor: User  # auditor of county A org dept
    discipline: User  # city discipline commission: county- and city-managed, whole city


@pytest.fixture
def others(world) -> Others:
    return Others(
        admin=make_user("admin", Role.ADMIN),
        auditor=make_user("auditor", Role.AUDITOR, authorities=[world.county_a_org]),
        discipline=make_user(
            "discipline", Role.DISCIPLINE_STAFF, authorities=[world.city_discipline]
        ),
    )


@pytest.fixture
def cases(flow, staff):
    """County A cases about 张三 in several states, and an ex officio draft about him."""
    draft = flow.filed()
    sent = flow.submitted()
    investigating = flow.investigating()
    ex_officio_draft = flow.filed(by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INSPECTION)
    return draft, sent, investigating, ex_officio_draft


def ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def missing_pk(cases):
    return max(case.pk for case in cases) + 1000


def assert_sees_nothing(user, cases):
    assert ids(visible_cases(user)) == []
    for pk in [*(case.pk for case in cases), missing_pk(cases)]:
        with pytest.raises(Http404) as error:
            get_case_for_user(user, pk)
        assert str(error.value) == "No such case"
    for case in cases:
        assert allowed_actions(user, case) == []


def test_outsider_sees_nothing(cases, staff):
    assert_sees_nothing(staff.outsider, cases)


def test_staff_of_another_authority_see_nothing(cases, staff, world):
    assert_sees_nothing(staff.clerk_b, cases)
    city_auditor = make_user("city_auditor", Role.AUDITOR, authorities=[world.city_org])
    assert_sees_nothing(city_auditor, cases)
    county_b = make_authority(
        "乙区纪委监委",
        roots=[world.county_b],
        levels=[ManagementLevel.COUNTY],
        kind=AuthorityKind.DISCIPLINE,
    )
    assert_sees_nothing(make_user("disc_b", Role.DISCIPLINE_STAFF, authorities=[county_b]), cases)


def test_cadre_not_in_the_case_sees_nothing(cases, world):
    assert_sees_nothing(make_user("lisi", Role.CADRE, cadre=world.cadre_b1), cases)


def test_inactive_user_sees_nothing_even_their_own(cases, staff):
    staff.cadre.is_active = False
    staff.cadre.save()
    assert_sees_nothing(staff.cadre, cases)


def test_cadre_sees_own_cases_but_not_a_staff_draft_about_them(cases, flow, staff):
    draft, sent, investigating, ex_officio_draft = cases
    unit_draft = flow.filed(by=staff.hr, started_by=StartedBy.UNIT)
    assert ids(visible_cases(staff.cadre)) == sorted([draft.pk, sent.pk, investigating.pk])
    for pk in (ex_officio_draft.pk, unit_draft.pk):
        with pytest.raises(Http404):
            get_case_for_user(staff.cadre, pk)
    with pytest.raises(Http404):
        get_case_for_user(staff.cadre, ex_officio_draft.pk)
    case_transition(ex_officio_draft, actor=staff.clerk, action="submit")
    assert get_case_for_user(staff.cadre, ex_officio_draft.pk).pk == ex_officio_draft.pk


def test_authority_staff_and_auditors_see_cases_but_not_drafts(cases, others, staff):
    draft, sent, investigating, ex_officio_draft = cases
    for user in (staff.investigator, staff.members[0], staff.leader, others.auditor):
        assert ids(visible_cases(user)) == sorted([sent.pk, investigating.pk])
    # the clerk who drafted the ex officio case sees that draft too, as its filer
    assert ids(visible_cases(staff.clerk)) == sorted(
        [sent.pk, investigating.pk, ex_officio_draft.pk]
    )


def test_discipline_staff_see_cases_of_their_jurisdiction_not_drafts(cases, others, flow, world):
    draft, sent, investigating, _ex = cases
    city_case = flow.submitted(
        by=make_user("wangwu", Role.CADRE, cadre=world.cadre_city), cadres=[world.cadre_city]
    )
    assert ids(visible_cases(others.discipline)) == sorted(
        [sent.pk, investigating.pk, city_case.pk]
    )
    assert get_case_for_user(others.discipline, sent.pk).pk == sent.pk
    with pytest.raises(Http404):
        get_case_for_user(others.discipline, draft.pk)


def test_unit_hr_sees_applications_of_their_unit_subtree(flow, staff, world):
    unit_case = flow.submitted(by=staff.hr, started_by=StartedBy.UNIT)
    own_application = flow.submitted()  # by the cadre, not through the unit
    county_hr = make_user("hr_county_a", Role.UNIT_HR, unit=world.county_a)
    other_hr = make_user("hr_county_b", Role.UNIT_HR, unit=world.county_b)
    assert ids(visible_cases(staff.hr)) == [unit_case.pk]
    assert ids(visible_cases(county_hr)) == [unit_case.pk]
    assert ids(visible_cases(other_hr)) == []
    assert own_application.pk not in ids(visible_cases(county_hr))


def test_administrator_sees_everything(cases, others):
    assert ids(visible_cases(others.admin)) == sorted(case.pk for case in cases)


def test_guardian_permission_grants_one_case(cases, staff):
    _draft, sent, investigating, _ex = cases
    outsider = staff.outsider
    assign_perm("tolerance.view_case", outsider, sent)
    assert ids(visible_cases(outsider)) == [sent.pk]
    assert get_case_for_user(outsider, sent.pk).pk == sent.pk
    with pytest.raises(Http404):
        get_case_for_user(outsider, investigating.pk)
    assert allowed_actions(outsider, sent) == []  # seeing is not acting


def test_guardian_permission_through_a_group(cases, world):
    _draft, sent, investigating, _ex = cases
    readers = Group.objects.create(name="case readers")
    assign_perm("tolerance.view_case", readers, investigating)
    reader = make_user("reader")
    reader.groups.add(readers)
    assert ids(visible_cases(reader)) == [investigating.pk]


def test_without_a_grant_the_cases_are_read_without_guardian_paths(cached, cases, staff):
    assert ids(visible_cases(fresh_user(staff.clerk))) == sorted(case.pk for case in cases[1:])
    assert "guardian" not in str(visible_cases(fresh_user(staff.clerk)).query)
    assign_perm("tolerance.view_case", staff.clerk, cases[0])
    assert "guardian" in str(visible_cases(fresh_user(staff.clerk)).query)


def test_a_grant_and_its_revocation_are_seen_at_once_with_the_cache_on(cached, cases, staff):
    _draft, sent, _investigating, _ex = cases
    outsider = staff.outsider
    assert ids(visible_cases(fresh_user(outsider))) == []
    assign_perm("tolerance.view_case", outsider, sent)
    assert ids(visible_cases(fresh_user(outsider))) == [sent.pk]
    remove_perm("tolerance.view_case", outsider, sent)
    assert ids(visible_cases(fresh_user(outsider))) == []


def test_joining_a_granted_group_is_seen_at_once_with_the_cache_on(cached, cases, world):
    _draft, _sent, investigating, _ex = cases
    readers = Group.objects.create(name="case readers")
    assign_perm("tolerance.view_case", readers, investigating)
    reader = make_user("reader")
    assert ids(visible_cases(fresh_user(reader))) == []
    reader.groups.add(readers)
    assert ids(visible_cases(fresh_user(reader))) == [investigating.pk]
    reader.groups.remove(readers)
    assert ids(visible_cases(fresh_user(reader))) == []


def test_the_case_filter_is_kept_across_requests_with_the_cache_on(
    cached, cases, staff, monkeypatch
):
    """get_case_for_user compiles the user's visibility filter once (tolerance.permissions
    ._visibility) and reads it from the cache on later requests."""
    _draft, sent, _investigating, _ex = cases
    assert get_case_for_user(fresh_user(staff.clerk), sent.pk).pk == sent.pk

    def not_again(user):
        raise AssertionError("the filter was compiled again")

    monkeypatch.setattr(permissions, "visible_cases", not_again)
    assert get_case_for_user(fresh_user(staff.clerk), sent.pk).pk == sent.pk


def test_the_kept_case_filter_follows_grants_authorities_and_activity(cached, cases, staff, world):
    _draft, sent, investigating, _ex = cases
    outsider, clerk = staff.outsider, staff.clerk
    with pytest.raises(Http404):
        get_case_for_user(fresh_user(outsider), sent.pk)
    assign_perm("tolerance.view_case", outsider, sent)
    assert get_case_for_user(fresh_user(outsider), sent.pk).pk == sent.pk
    remove_perm("tolerance.view_case", outsider, sent)
    with pytest.raises(Http404):
        get_case_for_user(fresh_user(outsider), sent.pk)

    assert get_case_for_user(fresh_user(clerk), investigating.pk).pk == investigating.pk
    clerk.authorities.remove(world.county_a_org)
    with pytest.raises(Http404):
        get_case_for_user(fresh_user(clerk), investigating.pk)
    clerk.authorities.add(world.county_a_org)
    assert get_case_for_user(fresh_user(clerk), investigating.pk).pk == investigating.pk
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    with pytest.raises(Http404):
        get_case_for_user(fresh_user(clerk), investigating.pk)


def test_cadre_sees_only_their_own_entry(flow, staff, others, world):
    colleague = CadreFactory(name="赵六", unit=world.township_a1)
    case = flow.investigating(
        by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1, colleague]
    )
    case = get_case_for_user(staff.cadre, case.pk)
    assert [e.cadre.name for e in visible_entries(staff.cadre, case)] == ["张三"]
    assert sees_all_entries(staff.cadre, case) is False
    for user in (
        staff.hr,
        staff.clerk,
        staff.investigator,
        others.auditor,
        others.discipline,
        others.admin,
    ):
        assert sorted(e.cadre.name for e in visible_entries(user, case)) == ["张三", "赵六"]


@pytest.mark.parametrize("cadres", [1, 3])
def test_get_case_for_user_query_count(cadres, flow, staff, world, django_assert_num_queries):
    people = [world.cadre_a1, *(CadreFactory(unit=world.township_a1) for _ in range(cadres - 1))]
    case = flow.submitted(by=staff.hr, started_by=StartedBy.UNIT, cadres=people)
    get_case_for_user(staff.clerk, case.pk)  # roles, authorities, content types now cached
    # the case with its joins, then its entries joined to their cadres and the cadres' units
    with django_assert_num_queries(2):
        found = get_case_for_user(staff.clerk, case.pk)
        assert len([entry.cadre.unit.name for entry in found.entries.all()]) == cadres


# --- the case's documents, read per object ---------------------------------------------


def test_the_case_documents_read_per_object_agree_with_the_reading_rule(flow, staff, world):
    """readable_case_documents (the case page: no query) selects exactly what the registry's
    set-based rule selects, persona by persona: a cadre reads the notice and their own
    ruling, not the co-cadre's; the filing unit and the staff read them all."""
    colleague = CadreFactory(unit=world.township_a1)
    case = flow.decided(by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1, colleague])
    every = list(documents_of_case(case).order_by("id"))
    assert sorted((d.kind, d.cadre_id or 0) for d in every) == [
        ("acceptance_notice", 0),
        ("tolerance_ruling", world.cadre_a1.pk),
        ("tolerance_ruling", colleague.pk),
    ]
    own = [d for d in every if d.cadre_id in (None, world.cadre_a1.pk)]
    for user, expected in [
        (staff.clerk, every),
        (staff.hr, every),
        (staff.cadre, own),
    ]:
        seen = get_case_for_user(user, case.pk)
        by_rule = list(readable_documents(user).filter(pk__in=[d.pk for d in every]).order_by("id"))
        assert readable_case_documents(user, seen, every) == by_rule == expected


def test_the_branches_select_what_the_rule_does(cases, others, flow, staff, world):
    """visible_case_branches: one queryset per access path, whose union is exactly
    visible_cases (and, with a list's filters, visible_cases so filtered), for every kind of
    user; an administrator's is the filtered queryset itself."""
    flow.submitted(by=staff.hr, started_by=StartedBy.UNIT)
    flow.submitted(
        by=make_user("wangwu_b", Role.CADRE, cadre=world.cadre_city), cadres=[world.cadre_city]
    )
    readers = Group.objects.create(name="case readers")
    assign_perm("tolerance.view_case", readers, cases[2])
    reader = make_user("reader_b")
    reader.groups.add(readers)
    assign_perm("tolerance.view_case", reader, cases[1])
    users = [
        staff.clerk, staff.investigator, staff.cadre, staff.hr, staff.outsider, reader,
        *(others.admin, others.auditor, others.discipline),
    ]  # fmt: skip
    for user in users:
        for narrowed in (Case.objects.all(), Case.objects.exclude(state="submitted")):
            branches = visible_case_branches(user, narrowed)
            union = set().union(*(ids(branch) for branch in branches))
            assert union == set(ids(visible_cases(user) & narrowed)), user
    assert visible_case_branches(others.admin, Case.objects.all())[0].query.where.children == []
    # filer, authority, and (the access cache off) the two kinds of grants
    assert len(visible_case_branches(staff.clerk, Case.objects.all())) == 4


@pytest.mark.parametrize("pk", [0, -1, 2**63, 351012629719339681972224])
def test_an_id_no_case_can_have_is_404_even_for_an_administrator(pk, staff):
    """Past 64 bits SQLite refused the statement (a 500 found by the API fuzz test)."""
    admin = make_user("admin_pk", Role.ADMIN)
    with pytest.raises(Http404) as error:
        get_case_for_user(admin, pk)
    assert str(error.value) == "No such case"
