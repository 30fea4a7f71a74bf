import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.eligibility import annual_grades, open_warnings
from assessments.models import CheckupWarning, MonitoringRank, PovertyTarget, TeamAssessment
from assessments.rules import CheckupInput
from assessments.services.evidence import poverty_set, ranks_set, team_grade_set
from assessments.services.tracking import checkup_record, competition_record, warning_resolve
from cadres.models import ComparisonCategory
from core.models import AuditEvent
from tests.factories import make_unit


@pytest.mark.django_db
def test_team_grade_set_and_audit(world, personas):
    team_grade_set(world.township_a1, actor=personas.clerk_a, year=2024, grade="good")
    team_grade_set(world.township_a1, actor=personas.clerk_a, year=2024, grade="average")
    assert TeamAssessment.objects.get().grade == "average"
    event = AuditEvent.objects.filter(action="assessment.team.set").order_by("pk").last()
    assert (event.before, event.authority_id) == (
        {"grade": "good", "comments": ""},
        world.county_a_org.pk,
    )
    with pytest.raises(PermissionDenied):
        team_grade_set(world.township_b1, actor=personas.clerk_a, year=2024, grade="good")


@pytest.mark.django_db
def test_ranks_set_validates_whole_group(world, personas):
    county_c = make_unit("丙县", kind="county", parent=world.city)
    ranks_set(
        actor=personas.admin,
        year=2024,
        group="county",
        ranks={world.county_a.pk: 2, county_c.pk: 1},
    )
    assert dict(MonitoringRank.objects.values_list("unit__name", "rank")) == {"甲县": 2, "丙县": 1}
    with pytest.raises(ValidationError) as error:
        ranks_set(
            actor=personas.admin,
            year=2024,
            group="county",
            ranks={world.county_a.pk: 1, county_c.pk: 3, world.county_b.pk: 1},
        )
    assert error.value.message_dict["rank"] == [
        "乙区 不参加县（市）排名。",
        "名次重复：1。",
        "名次缺失：2。",
    ]


@pytest.mark.django_db
def test_poverty_met_computed(world, personas):
    target = poverty_set(world.county_a, actor=personas.admin, year=2024, target=800, achieved=760)
    assert target.met is False
    assert PovertyTarget.objects.get().met is False


@pytest.mark.django_db
def test_checkup_opens_warning_that_blocks_until_resolved(world, personas):
    inputs = [
        CheckupInput("recipients", "conduct", "concern", "办事拖沓"),
        CheckupInput("peers_public", "conduct", "concern", "群众反映"),
        CheckupInput("principal", "political", "ok"),
    ]
    checkup, findings, warnings = checkup_record(
        world.cadre_a1,
        actor=personas.clerk_a,
        year=2024,
        quarter=2,
        held_on=dt.date(2024, 6, 28),
        inputs=inputs,
    )
    assert [(f.dimension, f.warning) for f in findings] == [("conduct", True)]
    assert list(open_warnings([world.cadre_a1.pk, world.cadre_b1.pk])) == [world.cadre_a1.pk]
    [warning] = open_warnings([world.cadre_a1.pk])[world.cadre_a1.pk]
    assert (warning.dimension, warning.reason) == ("conduct", "办事拖沓；群众反映")
    with pytest.raises(PermissionDenied):
        checkup_record(
            world.cadre_a1,
            actor=personas.hr_a1,
            year=2024,
            quarter=3,
            held_on=dt.date(2024, 9, 28),
            inputs=inputs,
        )
    warning_resolve(
        CheckupWarning.objects.get(),
        actor=personas.clerk_a,
        resolved_on=dt.date(2024, 8, 1),
        resolution="谈话提醒，已整改",
    )
    assert open_warnings([world.cadre_a1.pk]) == {}


@pytest.mark.django_db
def test_competition_needs_one_category(world, personas):
    category = ComparisonCategory.objects.create(name="乡镇类")
    other = ComparisonCategory.objects.create(name="部门类")
    town2 = make_unit("甲县新城镇", kind="township", parent=world.county_a, category=category)
    world.township_a1.category = category
    world.township_a1.save()
    result = competition_record(
        actor=personas.clerk_a,
        category=category,
        year=2024,
        topic="棚户区改造",
        unit_a=world.township_a1,
        unit_b=town2,
        score_a=91,
        score_b=88,
    )
    assert result.winner == "a"
    with pytest.raises(ValidationError):
        competition_record(
            actor=personas.clerk_a,
            category=other,
            year=2024,
            topic="x",
            unit_a=world.township_a1,
            unit_b=town2,
        )


@pytest.mark.django_db
def test_annual_grades_for_promotions(world, personas):
    from assessments.services.grades import GradeInput, unit_grades_enter

    for year in (2022, 2023):
        unit_grades_enter(
            world.township_a1,
            actor=personas.admin,
            year=year,
            entries=[GradeInput(world.cadre_a1.pk, "competent")],
        )
    assert annual_grades([world.cadre_a1.pk]) == {
        world.cadre_a1.pk: {2022: "competent", 2023: "competent"}
    }
