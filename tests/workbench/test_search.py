from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEvent
from workbench.search import CASE, DOCUMENT, ID_TAIL, NAME, NOTHING, PETITION, Query, classify

SEARCH = reverse("workbench:search")


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("RC2025-00012", Query(CASE, "RC2025-00012", 12)),
        ("rc2025-12", Query(CASE, "rc2025-12", 12)),
        ("XF2026-00003", Query(PETITION, "XF2026-00003", 3)),
        (" 1234 ", Query(ID_TAIL, "1234")),
        ("12345x", Query(ID_TAIL, "12345X")),
        ("济组容〔2025〕3号", Query(DOCUMENT, "济组容〔2025〕3号")),
        ("济组容[2025]3", Query(DOCUMENT, "济组容〔2025〕3")),
        ("zs", Query(NAME, "zs")),
        ("张 三", Query(NAME, "张三")),
        ("   ", Query(NOTHING, "")),
    ],
)
def test_classify(text, query):
    assert classify(text) == query


@pytest.mark.django_db
def test_cadre_found_by_pinyin_initials_within_jurisdiction(client, world, personas):
    client.force_login(personas.clerk_a)
    found = client.post(SEARCH, {"q": "zs"}).context["found"]
    assert [c.name for c in found.cadres] == ["张三"]
    client.force_login(personas.clerk_city)  # city-managed cadres only: 张三 is county-managed
    assert client.post(SEARCH, {"q": "zs"}).context["found"].cadres == []


@pytest.mark.django_db
def test_cadre_found_by_last_id_digits_by_post_and_audited(client, world, personas):
    client.force_login(personas.clerk_a)
    tail = world.cadre_a1.national_id[-6:]
    response = client.post(SEARCH, {"q": tail})
    assert [c.pk for c in response.context["found"].cadres] == [world.cadre_a1.pk]
    assert tail not in response.content.decode().replace(f'value="{tail}"', "")
    event = AuditEvent.objects.get(action="workbench.search.id_digits")
    assert (event.actor, event.after) == (personas.clerk_a, {"digits": 6, "found": 1})
    assert client.get(SEARCH, {"q": tail}).context["found"] is None  # GET never searches


@pytest.mark.django_db
def test_case_found_by_number_only_by_those_who_see_it(client, flow, staff):
    case = flow.submitted()
    client.force_login(staff.clerk)
    found = client.post(SEARCH, {"q": case.reference}).context["found"]
    assert [c.pk for c in found.cases] == [case.pk]
    client.force_login(staff.clerk_b)
    assert client.post(SEARCH, {"q": case.reference}).context["found"].cases == []
    client.force_login(staff.outsider)
    assert client.post(SEARCH, {"q": case.reference}).context["found"].total == 0
