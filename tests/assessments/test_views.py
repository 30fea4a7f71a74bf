import pytest
from django.urls import reverse

from assessments.enums import Grade
from assessments.models import AnnualAssessment
from tests.factories import CadreFactory

from .conftest import grade_all

E, C = Grade.EXCELLENT, Grade.COMPETENT


def _post(township, grades):
    return {f"grade-{c.pk}": g for c, g in zip(township.cadres, grades, strict=True)}


@pytest.mark.django_db
def test_grid_shows_all_cadres_and_quota(client, world, township):
    client.force_login(township.hr)
    response = client.get(reverse("assessments:grid", args=[world.township_a1.pk, 2024]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {r["cadre"].pk for r in rows} == {c.pk for c in township.cadres}
    assert len(rows) == 10
    assert response.context["check"].quota.allowed == 0  # nobody graded yet
    assert b"quota-card" in response.content


@pytest.mark.django_db
def test_grid_post_saves_all(client, world, township):
    client.force_login(township.hr)
    url = reverse("assessments:grid", args=[world.township_a1.pk, 2024])
    response = client.post(url, _post(township, [E, E] + [C] * 8))
    assert response.status_code == 302
    assert AnnualAssessment.objects.filter(year=2024, grade=E).count() == 2


@pytest.mark.django_db
def test_grid_post_over_quota_refused_and_keeps_input(client, world, township):
    client.force_login(township.hr)
    url = reverse("assessments:grid", args=[world.township_a1.pk, 2024])
    response = client.post(url, _post(township, [E, E, E] + [C] * 7))
    assert response.status_code == 200
    assert not AnnualAssessment.objects.exists()
    [problem] = response.context["problems"]
    assert "甲县城关镇" in problem.message
    assert [r["grade"] for r in response.context["rows"]].count(E) == 3
    assert b'data-testid="quota-refusal"' in response.content


@pytest.mark.django_db
def test_grid_other_units_hr_gets_404(client, world, township):
    client.force_login(township.hr_b)
    response = client.get(reverse("assessments:grid", args=[world.township_a1.pk, 2024]))
    assert response.status_code == 404
    response = client.post(
        reverse("assessments:grid", args=[world.township_a1.pk, 2024]), _post(township, [C] * 10)
    )
    assert response.status_code == 404
    assert not AnnualAssessment.objects.exists()


@pytest.mark.django_db
def test_grid_cadre_and_outsider_get_404(client, world, township, personas):
    for user in (personas.cadre_a1, personas.outsider, personas.auditor, personas.discipline):
        client.force_login(user)
        url = reverse("assessments:grid", args=[world.township_a1.pk, 2024])
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_grid_query_count_pinned(client, world, township, django_assert_num_queries):
    client.force_login(township.hr)
    url = reverse("assessments:grid", args=[world.township_a1.pk, 2024])
    client.get(url)
    # 11 with the unit's jurisdictions (assessments.policies.unit_policy); a pooled unit adds
    # two (its superior unit, the pool's counts: tests/assessments/test_pooling.py)
    with django_assert_num_queries(11):
        client.get(url)
    for i in range(10):
        CadreFactory(name=f"新{i}", unit=world.township_a1)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["rows"]) == 20


@pytest.mark.django_db
def test_cadre_sees_only_own_record(client, world, township, personas):
    admin = personas.admin
    grade_all(world.township_a1, admin, 2024, [C] * 10, township.cadres)
    client.force_login(personas.cadre_a1)
    response = client.get(reverse("assessments:mine"))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert [g.year for g in response.context["grades"]] == [2024]
    other = township.cadres[1]
    assert client.get(reverse("assessments:cadre", args=[other.pk])).status_code == 404
    client.force_login(personas.outsider)
    assert client.get(reverse("assessments:cadre", args=[world.cadre_a1.pk])).status_code == 404
    client.force_login(township.hr)
    assert client.get(reverse("assessments:cadre", args=[other.pk])).status_code == 200


@pytest.mark.django_db
def test_reports_hidden_from_cadres_and_outsiders(client, world, personas):
    for name in (
        "report-distribution",
        "report-detection",
        "report-ranks",
        "report-incidents",
        "incidents",
    ):
        for user in (personas.cadre_a1, personas.outsider):
            client.force_login(user)
            assert client.get(reverse(f"assessments:{name}")).status_code == 404, name
        client.force_login(personas.auditor)
        assert client.get(reverse(f"assessments:{name}")).status_code == 200, name


@pytest.mark.django_db
def test_index_lists_gradable_units(client, world, township, personas):
    client.force_login(township.hr)
    response = client.get(reverse("assessments:index") + "?year=2024")
    assert [u["name"] for u in response.context["units"]] == ["甲县城关镇"]
    client.force_login(personas.cadre_a1)
    response = client.get(reverse("assessments:index"))
    assert response.context["units"] == []
    assert response.context["own_cadre"] == world.cadre_a1.pk
