"""No select on any page offers more than MAX_OPTIONS options: cadres, units and clauses are
chosen by type-ahead (core.pickers), however large the jurisdiction. A fixed list a little
longer than that (the 56 ethnic groups) is allowed only with its own type-ahead
(data-picker="local").

Every page of the application (each URL of the permission matrix, with its objects) is
rendered for the personas who see the most, over a jurisdiction grown past the limit: 60
more cadres and 60 more units in county A. Each <select> of each page is counted.
"""

from __future__ import annotations

import re

import pytest

from cadres.enums import UnitKind
from tests.factories import CadreFactory, make_unit

from .test_permission_matrix import (  # noqa: F401 - the fixtures
    COLLECTION_ROUTES,
    OBJECT_ROUTES,
    OBJECTS_OF_KIND,
    collection_url,
    main_kind,
    media,
    objects,
    url_for,
)

MAX_OPTIONS = 50
SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S)
NAME = re.compile(r'name="([^"]+)"')


def oversized(html: str) -> list[str]:
    found = []
    for attrs, body in SELECT.findall(html):
        count = body.count("<option")
        if count > MAX_OPTIONS and 'data-picker="local"' not in attrs:
            name = NAME.search(attrs)
            found.append(f"{name.group(1) if name else '?'}: {count} options")
    return found


def test_oversized_finds_a_long_select():
    options = "".join(f'<option value="{i}">{i}</option>' for i in range(51))
    assert oversized(f'<select name="x">{options}</select><select name="y"></select>') == [
        "x: 51 options"
    ]


@pytest.fixture
def crowded(world, objects):  # noqa: F811 - the matrix's fixture
    for i in range(60):
        unit = make_unit(f"甲县测试单位{i:02d}", kind=UnitKind.TOWNSHIP, parent=world.county_a,
                         code=f"3701249{i:02d}")
        CadreFactory(name=f"测试干部{i:02d}", unit=world.township_a1)
        assert unit.pk
    return objects


@pytest.mark.django_db
def test_no_page_offers_more_than_50_options(client, personas, crowded):
    problems = []
    pages = 0
    for persona in ("admin", "clerk_a", "hr_a1"):
        client.force_login(getattr(personas, persona))
        urls = [collection_url(route) for route in COLLECTION_ROUTES]
        for route in OBJECT_ROUTES:
            kind = main_kind(route)
            urls += [url_for(route, kind, crowded[name]) for name in OBJECTS_OF_KIND[kind]]
        for url in dict.fromkeys(urls):
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            problems += [f"{persona} {url} {problem}" for problem in oversized(
                response.content.decode()
            )]
    assert pages > 100
    assert problems == [], "\n".join(problems)
