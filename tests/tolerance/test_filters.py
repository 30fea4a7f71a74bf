"""The work queue's filters: search by number, name, pinyin or matter; state, deadline,
authority and assignment; the form's styling."""

import datetime as dt

import pytest
from django import forms
from django.test import RequestFactory
from django.utils import timezone

from core.enums import Role
from tests.factories import CadreFactory, make_user
from tolerance.enums import CaseState, Outcome, StartedBy
from tolerance.filters import SOON_DAYS, QueueFilter, remedy_overdue, search_cases
from tolerance.models import Appeal, Case, Remedy
from tolerance.models.review import RemedyStatus
from tolerance.remedies import remedy_add

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 10)


@pytest.fixture
def case(flow):
    return flow.submitted()


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def run(user, data, queryset=None) -> set[int]:
    request = RequestFactory().get("/")
    request.user = user
    f = QueueFilter(
        data, queryset=queryset if queryset is not None else Case.objects.all(), request=request
    )
    assert f.is_valid(), f.errors
    return pks(f.qs)


@pytest.mark.parametrize("number", ["RC2025-{:05d}", "rc{}", "RC-{}", " RC 2026 - {:05d} "])
def test_a_case_number_finds_that_case(case, flow, number):
    flow.submitted()

    assert pks(search_cases(Case.objects.all(), number.format(case.pk))) == {case.pk}


def test_a_cadre_name_pinyin_initials_or_pinyin_prefix_finds_the_case(case, flow, world):
    colleague = CadreFactory(name="钱七", unit=world.township_a1)
    other = flow.submitted(by=flow.staff.hr, started_by=StartedBy.UNIT, cadres=[colleague])
    everything = Case.objects.all()

    assert pks(search_cases(everything, "张三")) == {case.pk}
    assert pks(search_cases(everything, "张")) == {case.pk}
    assert pks(search_cases(everything, "zs")) == {case.pk}
    assert pks(search_cases(everything, "ZhangS")) == {case.pk}
    assert pks(search_cases(everything, "qq")) == {other.pk}
    assert pks(search_cases(everything, "资金拨付")) == {case.pk, other.pk}
    assert pks(search_cases(everything, "王五")) == set()


def test_blank_search_keeps_everything_and_punctuation_finds_nothing(case):
    everything = Case.objects.all()

    assert pks(search_cases(everything, "  ")) == {case.pk}
    assert pks(search_cases(everything, "-.-")) == set()


def test_open_cases_by_default_all_or_one_state_on_request(flow, staff):
    submitted = flow.submitted()
    withdrawn = flow.submitted()
    Case.objects.filter(pk=withdrawn.pk).update(state=CaseState.WITHDRAWN)

    assert run(staff.clerk, {}) == {submitted.pk}
    assert run(staff.clerk, {"state": ""}) == {submitted.pk}
    assert run(staff.clerk, {"state": "all"}) == {submitted.pk, withdrawn.pk}
    assert run(staff.clerk, {"state": CaseState.WITHDRAWN}) == {withdrawn.pk}


def test_deadline_filters(flow, staff, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    due = {
        "late": TODAY - dt.timedelta(days=1),
        "today": TODAY,
        "week": TODAY + dt.timedelta(days=SOON_DAYS),
        "later": TODAY + dt.timedelta(days=SOON_DAYS + 1),
        "none": None,
    }
    cases = {}
    for name, due_on in due.items():
        cases[name] = flow.submitted().pk
        Case.objects.filter(pk=cases[name]).update(due_on=due_on)

    assert run(staff.clerk, {"due": "overdue"}) == {cases["late"]}
    assert run(staff.clerk, {"due": "soon"}) == {cases["today"], cases["week"]}
    assert run(staff.clerk, {"due": "none"}) == {cases["none"]}
    assert run(staff.clerk, {"due": ""}) == set(cases.values())


def test_remedy_overdue_finds_cases_with_a_remedial_measure_past_its_date(flow, staff):
    late, soon, done, none = (flow.investigating() for _ in range(4))
    today = timezone.localdate()
    for case, days in ((late, -1), (soon, 5), (done, -3)):
        remedy_add(
            case,
            actor=staff.clerk,
            measure="追回资金",
            owner="城关镇",
            due_on=today + dt.timedelta(days=days),
        )
    Remedy.objects.filter(case=done).update(status=RemedyStatus.DONE)

    assert run(staff.clerk, {"due": "remedy_overdue"}) == {late.pk}
    assert run(staff.clerk, {}) == {late.pk, soon.pk, done.pk, none.pk}


def test_remedy_overdue_needs_no_annotation_on_the_queryset(flow, staff):
    late = flow.investigating()
    remedy_add(
        late,
        actor=staff.clerk,
        measure="追回资金",
        owner="城关镇",
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    annotated = Case.objects.annotate(remedy_overdue=remedy_overdue(timezone.localdate()))

    assert run(staff.clerk, {"due": "remedy_overdue"}, annotated) == {late.pk}
    assert run(staff.clerk, {"due": "remedy_overdue"}, Case.objects.all()) == {late.pk}


def test_assigned_to_me_means_investigating_or_reviewing_a_pending_appeal(flow, staff):
    investigating = flow.investigating()
    reviewing = flow.submitted()
    flow.submitted()  # nobody's
    Appeal.objects.create(
        entry=reviewing.entries.get(),
        filed_by=staff.cadre,
        reason="不服",
        original_outcome=Outcome.NOT_TOLERATED,
        reviewer=staff.investigator,
    )

    assert run(staff.investigator, {"mine": "true"}) == {investigating.pk, reviewing.pk}
    assert run(staff.leader, {"mine": "true"}) == set()
    assert len(run(staff.investigator, {"mine": "false"})) == 3


def test_authority_choices_are_the_users_own_or_all_for_an_administrator(world, staff, case):
    request = RequestFactory().get("/")
    request.user = staff.clerk
    field = QueueFilter({}, queryset=Case.objects.all(), request=request).form.fields

    def offered(field):
        return [value for value, _label in field.choices if value]

    assert offered(field["authority"]) == [str(world.county_a_org.pk)]
    request.user = make_user("f_admin", Role.ADMIN)
    field = QueueFilter({}, queryset=Case.objects.all(), request=request).form.fields
    assert set(offered(field["authority"])) == {
        str(a.pk) for a in (world.city_org, world.county_a_org, world.city_discipline)
    }
    assert run(staff.clerk, {"authority": world.county_a_org.pk}) == {case.pk}
    assert run(request.user, {"authority": world.city_org.pk}) == set()
    # Not one of the clerk's authorities: refused, in ModelChoiceField's words.
    request.user = staff.clerk
    data = {"authority": str(world.city_org.pk)}
    refused = QueueFilter(data, queryset=Case.objects.all(), request=request)
    assert refused.errors["authority"] == [
        str(forms.ModelChoiceField.default_error_messages["invalid_choice"])
    ]


def test_form_fields_carry_bootstrap_classes_and_errors_are_marked(staff):
    request = RequestFactory().get("/")
    request.user = staff.clerk
    form = QueueFilter({"due": "someday"}, queryset=Case.objects.all(), request=request).form

    classes = {name: field.widget.attrs["class"] for name, field in form.fields.items()}
    assert classes == {
        "q": "form-control",
        "state": "form-select",
        "authority": "form-select",
        "due": "form-select is-invalid",
        "mine": "form-check-input",
    }
