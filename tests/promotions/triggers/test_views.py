"""The scan action: org-department staff start one scan per authority of theirs."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.enums import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = reverse("promotions:scan")


@pytest.fixture
def started(monkeypatch):
    calls = []
    monkeypatch.setattr("promotions.tasks.scan_year.delay", lambda **kw: calls.append(kw))
    return calls


def test_a_scan_is_started_for_each_authority_of_the_user(client, world, started):
    both = make_user("sc_both", Role.INTAKE_CLERK,
                     authorities=[world.county_a_org, world.city_org])
    client.force_login(both)

    response = client.post(URL, {"year": "2024"})

    assert response.status_code == 302
    assert response["Location"] == reverse("promotions:proposals")
    assert started == [
        {"year": 2024, "authority_id": pk}
        for pk in sorted([world.county_a_org.pk, world.city_org.pk])
    ]
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "已开始扫描2024年度的调整情形。"
    ]


def test_without_a_year_last_year_is_scanned(client, personas, started, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 2, 1))
    client.force_login(personas.clerk_a)

    client.post(URL, {"year": "last"})

    assert [call["year"] for call in started] == [2025]


def test_others_get_404_and_start_nothing(client, personas, started):
    for user in (personas.auditor, personas.hr_a1, personas.cadre_a1, personas.outsider,
                 personas.discipline):
        client.force_login(user)
        assert client.post(URL, {"year": "2024"}).status_code == 404, user.username
    assert started == []


def test_the_scan_needs_post_and_login(client, personas, started):
    assert client.post(URL).status_code == 302  # to the login page
    client.force_login(personas.clerk_a)
    assert client.get(URL).status_code == 405
    assert started == []
