"""Detection thresholds are versioned policy data, seeded with the defaults; the
detection report reads the version in force for its year."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import AnnualAssessment, DetectionPolicy, QuarterlyCheckup
from assessments.policies import detection_policy_in_force
from assessments.rules import CheckupInput as Input
from assessments.rules import CheckupPolicy, RotationPolicy, UniformityPolicy
from assessments.services.tracking import checkup_record
from tests.factories import CadreFactory, make_unit


@pytest.mark.django_db
def test_seeded_default_thresholds():
    policy = detection_policy_in_force(2024)
    assert policy.from_year == 2000
    assert policy.rotation() == RotationPolicy(
        window_years=4, max_awards_per_person=1, min_rotating_awards=3, min_coverage=Decimal("0.5")
    )
    assert policy.uniformity() == UniformityPolicy(
        min_years=3, min_participants=5, max_below_competent=0, min_competent_share=Decimal("0.8")
    )
    assert policy.checkup() == CheckupPolicy(problems_for_warning=1, concerns_for_warning=2)


@pytest.mark.django_db
def test_version_in_force_by_year():
    base = DetectionPolicy.objects.get(from_year=2000)
    newer = DetectionPolicy.objects.create(
        **{
            **{f.name: getattr(base, f.name) for f in base._meta.concrete_fields if f.name != "id"},
            "from_year": 2023,
            "uniform_min_years": 2,
        }
    )
    assert detection_policy_in_force(2022) == base
    assert detection_policy_in_force(2023) == newer
    assert detection_policy_in_force(1999) is None


def _uniform_unit(world):
    unit = make_unit("一律称职镇", kind="township", parent=world.county_a)
    cadres = [CadreFactory(unit=unit) for _ in range(6)]
    AnnualAssessment.objects.bulk_create(
        AnnualAssessment(cadre=c, unit=unit, year=y, grade="competent")
        for y in (2023, 2024)
        for c in cadres
    )
    return unit


@pytest.mark.django_db
def test_detection_report_reads_policy_in_force(client, world, personas):
    unit = _uniform_unit(world)  # two uniform years: too few under the default (3)
    client.force_login(personas.clerk_a)
    url = reverse("assessments:report-detection") + "?year=2024"
    response = client.get(url)
    assert response.context["thresholds"].from_year == 2000
    assert response.context["found"].uniform_total == 0
    DetectionPolicy.objects.filter(from_year=2000).update(uniform_min_years=2)
    response = client.get(url)
    assert [u.pk for u, _f in response.context["found"].uniform] == [unit.pk]
    assert response.context["uniformity"].min_years == 2


@pytest.mark.django_db
def test_detection_report_without_policy_says_so(client, world, personas):
    DetectionPolicy.objects.all().delete()
    client.force_login(personas.clerk_a)
    response = client.get(reverse("assessments:report-detection") + "?year=2024")
    assert response.status_code == 200
    assert "found" not in response.context
    assert b'data-testid="no-detection-policy"' in response.content


@pytest.mark.django_db
def test_checkup_warnings_follow_the_policy_in_force(world, personas):
    inputs = [Input("recipients", "conduct", "concern", "拖沓")]
    _c, findings, warnings = checkup_record(
        world.cadre_a1,
        actor=personas.clerk_a,
        year=2024,
        quarter=1,
        held_on=dt.date(2024, 3, 28),
        inputs=inputs,
    )
    assert ([f.warning for f in findings], warnings) == ([False], [])  # 1 concern < 2
    DetectionPolicy.objects.filter(from_year=2000).update(checkup_concerns_for_warning=1)
    _c, findings, warnings = checkup_record(
        world.cadre_a1,
        actor=personas.clerk_a,
        year=2024,
        quarter=2,
        held_on=dt.date(2024, 6, 28),
        inputs=inputs,
    )
    assert [w.dimension for w in warnings] == ["conduct"]


@pytest.mark.django_db
def test_checkup_refused_without_thresholds(world, personas):
    DetectionPolicy.objects.all().delete()
    with pytest.raises(ValidationError) as error:
        checkup_record(
            world.cadre_a1,
            actor=personas.clerk_a,
            year=2024,
            quarter=1,
            held_on=dt.date(2024, 3, 28),
            inputs=[Input("principal", "law", "ok")],
        )
    assert error.value.message_dict == {
        "year": ["2024 年度没有生效的体检预警条件；须由管理员录入。"]
    }
    assert not QuarterlyCheckup.objects.exists()
