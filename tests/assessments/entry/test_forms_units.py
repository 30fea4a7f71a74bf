"""Entry forms of unit-level evidence: the units offered, one row per unit and year, fields
fixed once recorded, each form's one service."""

from decimal import Decimal

import pytest

from assessments.entry.forms_units import CompetitionForm, PovertyForm, TargetForm, TeamForm
from assessments.models import PairedCompetition, PovertyTarget, TargetAssessment, TeamAssessment
from cadres.enums import UnitKind
from cadres.models import ComparisonCategory
from core.models import AuditEvent
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


def names(field) -> list[str]:
    return [unit.name for unit in field.queryset]


def test_each_form_offers_the_writable_units_of_its_kinds(world, personas):
    village = make_unit("城关村", kind=UnitKind.VILLAGE, parent=world.township_a1)

    team = names(TeamForm(personas.admin).fields["unit"])
    assert village.name not in team and "甲县城关镇" in team
    assert names(PovertyForm(personas.admin).fields["unit"]) == ["济南市", "乙区", "甲县"]
    assert names(TargetForm(personas.admin).fields["unit"]) == [
        "济南市", "乙区", "甲县", "市发展改革委"
    ]
    assert names(PovertyForm(personas.clerk_a).fields["unit"]) == ["甲县"]
    assert names(TeamForm(personas.outsider).fields["unit"]) == []


def test_a_new_row_for_a_unit_and_year_already_recorded_is_refused(world, personas):
    TeamAssessment.objects.create(unit=world.county_a, year=2024, grade="good")

    form = TeamForm(personas.admin, {"unit": world.county_a.pk, "year": "2024",
                                     "grade": "average", "comments": ""})

    assert not form.is_valid()
    assert form.non_field_errors() == ["甲县 已有 2024 年度的记录；请打开该记录修改。"]


def test_editing_keeps_unit_and_year_and_saves_through_the_service(world, personas):
    row = TeamAssessment.objects.create(unit=world.county_a, year=2024, grade="good")

    form = TeamForm(personas.admin, {"unit": world.county_b.pk, "year": "2030",
                                     "grade": "average", "comments": "复核后调整"},
                    instance=row)

    assert form.fields["unit"].disabled and form.fields["year"].disabled
    assert form.is_valid(), form.errors
    saved = form.save_or_errors(personas.admin)
    assert (saved.pk, saved.unit, saved.year, saved.grade, saved.comments) == (
        row.pk, world.county_a, 2024, "average", "复核后调整"
    )
    assert AuditEvent.objects.filter(object_id=str(row.pk)).exists()


def test_target_and_poverty_forms_save_their_rows(world, personas):
    target = TargetForm(personas.clerk_a, {"unit": world.county_a.pk, "year": "2024",
                                           "grade": "poor", "comments": ""})
    poverty = PovertyForm(personas.clerk_a, {"unit": world.county_a.pk, "year": "2024",
                                             "target": "100", "achieved": "", "note": ""})

    assert target.is_valid() and poverty.is_valid(), (target.errors, poverty.errors)
    target.save_or_errors(personas.clerk_a)
    poverty.save_or_errors(personas.clerk_a)

    assert TargetAssessment.objects.get(unit=world.county_a, year=2024).grade == "poor"
    row = PovertyTarget.objects.get(unit=world.county_a, year=2024)
    assert (row.target, row.achieved) == (100, None)


def test_a_unit_outside_the_users_reach_is_not_a_choice(world, personas):
    form = PovertyForm(personas.clerk_a, {"unit": world.county_b.pk, "year": "2024",
                                          "target": "100"})

    assert not form.is_valid()
    assert list(form.errors) == ["unit"]


@pytest.fixture
def towns(world):
    category = ComparisonCategory.objects.create(name="乡镇类")
    world.township_a1.category = category
    world.township_a1.save()
    other = make_unit("甲县新城镇", kind=UnitKind.TOWNSHIP, parent=world.county_a,
                      category=category)
    return category, world.township_a1, other


def test_a_competition_offers_categorised_units_and_needs_two_of_them(towns, personas):
    category, one, other = towns

    form = CompetitionForm(personas.clerk_a, {
        "category": category.pk, "year": "2024", "topic": "棚户区改造",
        "unit_a": one.pk, "unit_b": one.pk,
    })

    assert names(form.fields["unit_a"]) == ["甲县城关镇", "甲县新城镇"]
    assert not form.is_valid()
    assert form.errors == {"unit_b": ["请选择两个不同的单位。"]}


def test_a_competition_is_recorded_then_its_scores_updated(towns, personas):
    category, one, other = towns
    data = {"category": category.pk, "year": "2024", "topic": "棚户区改造",
            "unit_a": one.pk, "unit_b": other.pk, "score_a": "91", "score_b": "88"}
    form = CompetitionForm(personas.clerk_a, data)
    assert form.is_valid(), form.errors
    recorded = form.save_or_errors(personas.clerk_a)

    edit = CompetitionForm(personas.clerk_a, {**data, "unit_a": other.pk, "unit_b": one.pk,
                                              "score_a": "80", "topic": "旧改"},
                           instance=recorded)
    assert edit.is_valid(), edit.errors
    edit.save_or_errors(personas.clerk_a)

    row = PairedCompetition.objects.get()
    assert (row.unit_a, row.unit_b, row.topic, row.score_a, row.score_b) == (
        one, other, "旧改", Decimal("80.00"), Decimal("88.00")
    )
    assert row.winner == "b"
