"""The promotions section's tabs, kept per language and page (promotions_nav)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from promotions.templatetags.promotions_nav import _kept

INCLUDED = Template('{% include "promotions/_nav.html" %}')
TAGGED = Template("{% load promotions_nav %}{% promotions_nav %}")


def page(path: str):
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    return Context({"request": request})


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("path", ["/promotions/proposals/", "/promotions/", "/promotions/bonus/"])
def test_the_tabs_are_what_the_include_prints(language, path):
    _kept.clear()
    with translation.override(language):
        expected = INCLUDED.render(page(path))
        assert TAGGED.render(page(path)) == expected
        assert TAGGED.render(page(path)) == expected  # kept
    assert 'active" href="' in expected


def test_the_tabs_are_kept_per_language_and_page():
    _kept.clear()
    with translation.override("en"):
        proposals = TAGGED.render(page("/promotions/proposals/"))
        dashboard = TAGGED.render(page("/promotions/"))
    with translation.override("zh-hans"):
        chinese = TAGGED.render(page("/promotions/proposals/"))

    assert len({proposals, dashboard, chinese}) == 3
    assert {key[:2] for key in _kept} == {
        ("en", "proposals"),
        ("en", "dashboard"),
        ("zh-hans", "proposals"),
    }


def test_without_a_resolved_page_no_tab_is_active():
    _kept.clear()
    text = TAGGED.render(Context({}))
    assert "active" not in text and 'href="/promotions/proposals/"' in text
