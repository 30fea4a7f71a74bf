"""The statistics page: who reaches it, which authority and year it shows, its charts and
its cost (the figures themselves are tolerance.statistics')."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.register.support import *  # noqa: F403 - the fixtures
from tolerance.enums import Outcome
from tolerance.views.statistics import _chosen_year

pytestmark = pytest.mark.django_db

URL = reverse("stats:index")
Y = timezone.localdate().year


@pytest.mark.parametrize(
    ("raw", "years", "chosen"),
    [
        ("all", [2026, 2025], None),
        ("2025", [2026, 2025], 2025),
        ("", [2026, 2025], 2026),
        ("2019", [2026, 2025], 2026),  # a year without cases: the latest with cases
        ("20x5", [2026, 2025], 2026),
        ("-2025", [2026, 2025], 2026),
    ],
)
def test_the_year_asked_for_or_the_latest_with_cases(raw, years, chosen):
    assert _chosen_year(raw, years) == chosen


def test_without_cases_the_current_year_is_shown(monkeypatch):
    import datetime as dt

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2031, 2, 3))

    assert _chosen_year("", []) == 2031
    assert _chosen_year("2030", []) == 2031


def test_the_page_needs_login_and_get(client, ledger):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
    client.force_login(ledger.people["admin"])
    assert client.post(URL).status_code == 405


def test_one_of_the_users_authorities_may_be_chosen(client, ledger):
    client.force_login(ledger.people["auditor_both"])

    response = client.get(URL, {"authority": str(ledger.c1.authority_id), "year": str(Y)})

    assert response.status_code == 200
    assert response.context["authority"].pk == ledger.c1.authority_id
    assert response.context["year"] == Y
    assert [a.name for a in response.context["authorities"]] == [
        "中共济南市委组织部", "中共甲县县委组织部"
    ]
    assert [r.name for r in response.context["figures"].by_authority] == ["中共济南市委组织部"]


def test_the_page_shows_only_the_users_authorities(client, ledger):
    auditor = ledger.people["auditor_a"]
    client.force_login(auditor)
    # Another authority's id is not among the choices: the page shows the user's own.
    response = client.get(URL, {"authority": str(ledger.c1.authority_id), "year": "all"})
    assert response.status_code == 200
    assert response.context["authority"] is None and response.context["year"] is None
    assert [r.name for r in response.context["figures"].by_authority] == ["中共甲县县委组织部"]
    assert "中共济南市委组织部" not in response.content.decode()
    for name in ("outsider", "zhang", "hr_a1", "auditor_nowhere"):
        client.force_login(ledger.people[name])
        assert client.get(URL).status_code == 404, name


def test_the_page_shows_its_charts(client, ledger):
    client.force_login(ledger.people["auditor_both"])
    response = client.get(URL)
    assert response.context["year"] == Y
    body = response.content.decode()
    for canvas in ("months-chart", "stages-chart", "situations-chart", "appeals-chart"):
        assert f'id="{canvas}"' in body
    assert "/static/vendor/chartjs/chart.umd.min.js" in body
    charts = json.loads(re.search(r'id="stats-data"[^>]*>(.*?)</script>', body, re.S)[1])
    assert len(charts["months"]["labels"]) == 12
    assert charts["appeals"]["data"] == [0, 0, 1]
    assert [label[:6] for label in charts["situations"]["labels"]] == [
        "JN-01 ", "SX-01 ", "SX-02 ", "SX-03 "
    ]
    assert charts["situations"]["titles"][1].startswith("SX-01 在")


@pytest.mark.parametrize("persona", ["admin", "auditor_both"])
def test_the_statistics_cost_the_same_queries_at_any_size(
    client, ledger, flow, django_assert_num_queries, persona  # noqa: F811
):
    user = ledger.people[persona]
    expected = {"admin": 16, "auditor_both": 19}[persona]
    client.force_login(user)
    cache.clear()
    with django_assert_num_queries(expected):
        client.get(URL)
    for outcome in (Outcome.EXEMPT, Outcome.LIGHTER, Outcome.NOT_TOLERATED):
        flow.decided(outcome=outcome)
    cache.clear()
    with django_assert_num_queries(expected):
        response = client.get(URL)
    assert response.context["figures"].cases == 7
