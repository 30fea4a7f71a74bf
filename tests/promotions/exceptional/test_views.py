"""The exceptional-promotion pages: the list's Excel export, its rows and its cost."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from cadres.enums import Rank
from core.models import AuditEvent
from tests.factories import CadreFactory
from tests.promotions.conftest import request_for

pytestmark = pytest.mark.django_db

EXPORT = reverse("promotions:exceptional-export")


def _requests(exc, clerk, n):
    for i in range(n):
        exc.cadre = CadreFactory(name=f"候选{i}", unit=exc.cadre.unit, rank=Rank.SECTION_CHIEF,
                                 rank_since=exc.cadre.rank_since)
        request_for(exc, clerk)


def _exported(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[c.value for c in row] for row in book.active.iter_rows(min_row=2)]


@pytest.mark.parametrize("count", [1, 6])
def test_export_query_count_pinned(client, county, exc, django_assert_num_queries, count):
    _requests(exc, county.clerk, count)
    client.force_login(county.clerk)
    client.get(EXPORT)
    # session, user, groups, authorities; the audit row (savepoint, insert, release); the
    # requests with their cadres and units
    with django_assert_num_queries(8):
        response = client.get(EXPORT, {"sort": "-created"})
    rows = _exported(response)
    assert [r[0] for r in rows] == [f"候选{i}" for i in reversed(range(count))]
    assert {(r[1], r[2], r[5]) for r in rows} == {("甲县城关镇", "社区服务中心主任", "草稿")}


def test_export_filtered_by_state_and_text_is_audited(client, county, exc):
    _requests(exc, county.clerk, 3)
    client.force_login(county.clerk)
    rows = _exported(client.get(EXPORT, {"q": "候选1", "state": "draft"}))
    assert [r[0] for r in rows] == ["候选1"]
    event = AuditEvent.objects.get(action="promotions.exceptional.export")
    assert event.after == {"filters": {"q": "候选1", "state": "draft"}}


def test_export_is_empty_for_someone_outside_the_jurisdiction(client, county, exc):
    _requests(exc, county.clerk, 2)
    client.force_login(county.clerk_city)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert _exported(response) == []
