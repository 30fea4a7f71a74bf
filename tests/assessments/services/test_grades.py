import pytest

from assessments.enums import Grade
from assessments.models import AnnualAssessment, QuotaPolicy
from assessments.services.grades import GradeInput, GradesRefused, unit_grades_enter
from core.models import AuditEvent
from tests.assessments.conftest import grade_all

E, C, B = Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC


@pytest.mark.django_db
def test_grades_within_township_quota_are_saved_and_audited(world, township):
    # township quota: 20% of 10 = 2 (seeded policy, seed 002)
    saved = grade_all(world.township_a1, township.hr, 2024, [E, E] + [C] * 8, township.cadres)
    assert (saved.created, saved.updated, saved.quota.quota.allowed) == (10, 0, 2)
    assert AnnualAssessment.objects.filter(unit=world.township_a1, year=2024).count() == 10
    events = AuditEvent.objects.filter(action="assessment.grade.set")
    assert events.count() == 10
    assert {e.authority_id for e in events} == {world.county_a_org.pk}
    first = events.get(object_id=str(AnnualAssessment.objects.get(cadre=world.cadre_a1).pk))
    assert first.before is None
    assert first.after["grade"] == "excellent"


@pytest.mark.django_db
def test_grades_beyond_quota_refused_naming_quota_count_and_unit(world, township):
    with pytest.raises(GradesRefused) as refused:
        grade_all(world.township_a1, township.hr, 2024, [E, E, E] + [C] * 7, township.cadres)
    message = refused.value.problems[0].message
    assert message == (
        "未保存：甲县城关镇 2024 年度优秀等次名额为 2 名（参加考核 10 人 × 20.0%，向下取整），"
        "本次录入优秀 3 名，超出 1 名。"
    )
    assert not AnnualAssessment.objects.exists()
    assert not AuditEvent.objects.filter(action="assessment.grade.set").exists()


@pytest.mark.django_db
def test_grades_quota_counts_grades_already_saved(world, township):
    grade_all(world.township_a1, township.hr, 2024, [E, E] + [C] * 8, township.cadres)
    # turning a third cadre excellent alone breaks the quota of the whole unit
    with pytest.raises(GradesRefused):
        unit_grades_enter(
            world.township_a1,
            actor=township.hr,
            year=2024,
            entries=[GradeInput(township.cadres[2].pk, E)],
        )
    # replacing one excellent by another is fine
    saved = unit_grades_enter(
        world.township_a1,
        actor=township.hr,
        year=2024,
        entries=[GradeInput(township.cadres[1].pk, C), GradeInput(township.cadres[2].pk, E)],
    )
    assert (saved.updated, saved.unchanged) == (2, 8)


@pytest.mark.django_db
def test_grades_other_kind_uses_default_share(world, township):
    # the bureau is a department: default 15%, floor: 7 graded → 1
    from tests.factories import CadreFactory

    cadres = [CadreFactory(unit=world.bureau) for _ in range(7)]
    with pytest.raises(GradesRefused):
        grade_all(world.bureau, township.county_clerk, 2024, [E, E] + [C] * 5, cadres)
    admin = __import__("tests.factories", fromlist=["make_user"]).make_user("adm", "admin")
    saved = grade_all(world.bureau, admin, 2024, [E] + [C] * 6, cadres)
    assert saved.quota.quota.allowed == 1


@pytest.mark.django_db
def test_quota_policy_rounding_change_applies(world, township):
    QuotaPolicy.objects.create(
        jurisdiction_code="3701", unit_kind="township", from_year=2025, share="0.250",
        rounding="ceil",
    )
    # 25% of 10 = 2.5 → 3 with rounding up, from 2025 only
    grade_all(world.township_a1, township.hr, 2025, [E, E, E] + [C] * 7, township.cadres)
    with pytest.raises(GradesRefused):
        grade_all(world.township_a1, township.hr, 2024, [E, E, E] + [C] * 7, township.cadres)


@pytest.mark.django_db
def test_grades_hr_officer_cannot_grade_other_unit(world, township):
    with pytest.raises(GradesRefused) as refused:
        unit_grades_enter(
            world.township_a1,
            actor=township.hr_b,
            year=2024,
            entries=[GradeInput(world.cadre_a1.pk, C)],
        )
    assert refused.value.problems[0].field == "cadre"
    assert not AnnualAssessment.objects.exists()


@pytest.mark.django_db
def test_grades_cadre_graded_elsewhere_refused(world, township):
    admin = __import__("tests.factories", fromlist=["make_user"]).make_user("adm", "admin")
    unit_grades_enter(
        world.township_b1, actor=admin, year=2024, entries=[GradeInput(world.cadre_b1.pk, C)]
    )
    with pytest.raises(GradesRefused) as refused:
        unit_grades_enter(
            world.township_a1, actor=admin, year=2024, entries=[GradeInput(world.cadre_b1.pk, C)]
        )
    assert "乙区大明湖街道" in refused.value.problems[0].message


@pytest.mark.django_db
def test_blank_grade_removes_the_record(world, township):
    grade_all(world.township_a1, township.hr, 2024, [C] * 10, township.cadres)
    saved = unit_grades_enter(
        world.township_a1, actor=township.hr, year=2024, entries=[GradeInput(world.cadre_a1.pk, "")]
    )
    assert saved.deleted == 1
    assert not AnnualAssessment.objects.filter(cadre=world.cadre_a1).exists()
    assert AuditEvent.objects.filter(action="assessment.grade.set").count() == 11


@pytest.mark.django_db
def test_below_competent_in_exempted_year_needs_reason(world, township, flow):
    flow.decided()  # 张三's matter of 2025-03-10 exempted
    cadre = world.cadre_a1
    with pytest.raises(GradesRefused) as refused:
        unit_grades_enter(
            world.township_a1, actor=township.hr, year=2025, entries=[GradeInput(cadre.pk, B)]
        )
    problem = refused.value.problems[0]
    assert problem.field == "exemption_reason"
    assert "乡村振兴试点项目资金拨付偏差" in problem.message
    saved = unit_grades_enter(
        world.township_a1,
        actor=township.hr,
        year=2025,
        entries=[GradeInput(cadre.pk, B, exemption_reason="另有全年考勤严重缺勤，与免责事项无关")],
    )
    assert saved.created == 1
    record = AnnualAssessment.objects.get(cadre=cadre, year=2025)
    assert record.exemption_reason == "另有全年考勤严重缺勤，与免责事项无关"
    # another year, or competent: no reason needed
    unit_grades_enter(
        world.township_a1, actor=township.hr, year=2024, entries=[GradeInput(cadre.pk, B)]
    )


@pytest.mark.django_db
def test_below_competent_without_exemption_needs_no_reason(world, township, flow):
    flow.decided(outcome="not_tolerated")
    saved = unit_grades_enter(
        world.township_a1, actor=township.hr, year=2025, entries=[GradeInput(world.cadre_a1.pk, B)]
    )
    assert saved.created == 1
