"""The cadre timeline renders a bounded number of entries, newest first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.promotions.incentives.test_commendations import commend

pytestmark = pytest.mark.django_db


def test_the_timeline_shows_the_newest_entries_up_to_the_bound(client, world, personas, settings):
    settings.CADRE_TIMELINE_MAX_ITEMS = 2
    for day in (1, 2, 3):
        commend(personas.clerk_a, cadre=world.cadre_a1, granted_on=dt.date(2024, 7, day),
                citation=f"第{day}次表彰")
    client.force_login(personas.clerk_a)
    response = client.get(reverse("register:timeline", args=[world.cadre_a1.pk]))
    assert [item.on.day for item in response.context["items"]] == [3, 2]
    html = response.content.decode()
    assert "仅显示最近 2 条，共 3 条。" in html
    assert "第1次表彰" not in html


def test_no_note_below_the_bound(client, world, personas):
    commend(personas.clerk_a, cadre=world.cadre_a1)
    client.force_login(personas.clerk_a)
    response = client.get(reverse("register:timeline", args=[world.cadre_a1.pk]))
    assert len(response.context["items"]) == 1
    assert 'data-testid="timeline-bound"' not in response.content.decode()
