"""Candidate lists: the eligibility of every cadre of a unit and rank, set-based, the page
and its audited Excel export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import AnnualAssessment, CheckupWarning
from cadres.models import Cadre
from core.models import AuditEvent
from promotions.incentives.candidates import candidate_cadres, candidate_rows
from promotions.policy_data import DEFAULT_TERMS
from tests.factories import CadreFactory
from tolerance.models import AccountabilityMatter

pytestmark = pytest.mark.django_db

RANK = 65  # section level


@pytest.fixture
def section_chiefs(world):
    """Four section-level cadres of township A1, as of today: one with strong grades (priority),
    one competent throughout (eligible), one with a warning (blocked), one new in rank."""
    this = timezone.localdate().year
    made = {}
    for name, since, grades in (
        ("优秀甲", dt.date(2015, 1, 1), ["excellent", "excellent", "competent"]),
        ("称职乙", dt.date(2015, 1, 1), ["competent", "competent", "competent"]),
        ("预警丙", dt.date(2015, 1, 1), ["competent", "competent", "competent"]),
        ("新任丁", dt.date(this - 1, 3, 1), ["excellent", "excellent", "excellent"]),
    ):
        cadre = CadreFactory(name=name, unit=world.township_a1, rank=RANK, rank_since=since)
        for year, grade in zip(range(this - 3, this), grades, strict=True):
            AnnualAssessment.objects.create(cadre=cadre, year=year, unit=cadre.unit, grade=grade)
        made[name] = cadre
    CheckupWarning.objects.create(
        cadre=made["预警丙"], dimension="conduct", raised_on=dt.date(this, 1, 5), reason="作风问题"
    )
    CadreFactory(name="他级戊", unit=world.township_a1, rank=45)
    CadreFactory(name="乙区己", unit=world.township_b1, rank=RANK)
    return made


def test_rows_explain_each_cadre_priority_first(section_chiefs, world):
    cadres = candidate_cadres(Cadre.objects.all(), world.county_a, RANK)
    rows = candidate_rows(cadres, as_of=timezone.localdate(), terms=DEFAULT_TERMS)
    assert [
        (r.name, r.explanation.verdict, r.explanation.exceptional, r.blocking) for r in rows
    ] == [
        ("新任丁", "priority", True, ["years_in_rank"]),
        ("优秀甲", "priority", False, []),
        ("称职乙", "eligible", False, []),
        ("预警丙", "blocked", False, ["warnings"]),
    ]


def test_page_for_staff_404_outside(client, section_chiefs, world, personas):
    url = reverse("promotions:candidates")
    client.force_login(personas.clerk_a)
    response = client.get(url, {"unit": world.county_a.pk, "rank": RANK})
    assert response.context["count"] == 4
    html = response.content.decode()
    assert "优先或破格提拔（破格：不受任职年限限制）" in html
    assert "有未解除的体检预警" in html
    assert "乙区己" not in html
    assert client.get(url, {"unit": world.county_b.pk, "rank": RANK}).status_code == 404
    for user in (personas.hr_a1, personas.cadre_a1, personas.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("more", [0, 6])
def test_page_query_count_pinned(
    client, section_chiefs, world, personas, django_assert_num_queries, more
):
    this = timezone.localdate().year
    matter = AccountabilityMatter.objects.create(
        title="资金拨付偏差", description="偏差", occurred_on=dt.date(this - 1, 5, 1)
    )
    matter.cadres.add(section_chiefs["称职乙"])
    for i in range(more):
        cadre = CadreFactory(name=f"科长{i}", unit=world.township_a1, rank=RANK)
        AnnualAssessment.objects.create(
            cadre=cadre, year=this - 1, unit=cadre.unit, grade="competent"
        )
    client.force_login(personas.clerk_a)
    url = reverse("promotions:candidates")
    query = {"unit": world.county_a.pk, "rank": RANK}
    client.get(url, query)
    # session, user, groups, authorities + root units (ours, then the cadre scope's), the
    # unit, policy, cadres, grades, warnings, matters, team grades, the unit choices,
    # the matters' tolerance effects (two), the navigation's
    with django_assert_num_queries(19):
        response = client.get(url, query)
    assert response.context["count"] == 4 + more


def test_export_is_an_audited_workbook(client, section_chiefs, world, personas):
    client.force_login(personas.clerk_a)
    response = client.post(
        reverse("promotions:candidates-export"), {"unit": world.county_a.pk, "rank": RANK}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="candidates-{world.county_a.code}-65-'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "人选名单：甲县，乡科级正职"
    assert rows[2] == (
        "姓名",
        "单位",
        "职务",
        "任现职级时间",
        "任现职级满年数",
        "年度考核等次",
        "结论",
        "不具备资格的原因",
    )
    assert [(r[0], r[6], r[7]) for r in rows[3:]] == [
        ("新任丁", "优先或破格提拔（破格：不受任职年限限制）", "任现职级年限不足"),
        ("优秀甲", "优先或破格提拔", None),
        ("称职乙", "具备提拔条件", None),
        ("预警丙", "暂不具备提拔条件", "有未解除的体检预警"),
    ]
    event = AuditEvent.objects.get(action="promotions.candidates.export")
    assert (event.after["count"], event.after["rank"], event.authority_id) == (
        4,
        RANK,
        world.county_a_org.pk,
    )


def test_export_refused_outside_and_by_get(client, section_chiefs, world, personas):
    client.force_login(personas.clerk_a)
    url = reverse("promotions:candidates-export")
    assert client.post(url, {"unit": world.county_b.pk, "rank": RANK}).status_code == 404
    assert client.post(url, {"unit": world.county_a.pk}).status_code == 404
    assert client.get(url).status_code == 405
    client.force_login(personas.outsider)
    assert client.post(url, {"unit": world.county_a.pk, "rank": RANK}).status_code == 404
    assert not AuditEvent.objects.filter(action="promotions.candidates.export").exists()
