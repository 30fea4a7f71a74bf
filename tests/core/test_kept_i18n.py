"""`{% translate "literal" %}` translated once per language (core.shell.KeptTranslateNode,
`{% load i18n kept_i18n %}`): the same text as Django's tag in every language and
autoescaping, and a translation that depends on the request renders as Django's does."""

from __future__ import annotations

import pytest
from django.template import Context, Engine
from django.utils import translation

from core import shell
from core.shell import KeptTranslateNode

TAGS = (
    '{% translate "Search" %}|{% trans "Log out" %}|{% translate "<b>&</b> 100%" %}|'
    '{% translate "Search" noop %}|{% translate "Menu"|upper %}|'
    '{% translate "Search" as label %}{{ label }}|{% translate "May" context "month name" %}|'
    '{% translate word %}|{% autoescape off %}{% translate "<b>&</b> 100%" %}{% endautoescape %}'
)


def engine() -> Engine:
    return Engine(
        libraries={
            "i18n": "django.templatetags.i18n",
            "kept_i18n": "core.templatetags.kept_i18n",
        }
    )


SHOWN = {
    "zh-hans": "搜索|退出登录|<b>&</b> 100%|Search|菜单|搜索|May|{word}|<b>&</b> 100%",
    "en": "Search|Log out|<b>&</b> 100%|Search|MENU|Search|May|{word}|<b>&</b> 100%",
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_kept_text_is_what_django_renders(language):
    kept = engine().from_string("{% load i18n kept_i18n %}" + TAGS)
    plain = engine().from_string("{% load i18n %}" + TAGS)

    for word, shown in (("Search", "搜索"), ("Menu", "菜单"), ("Search", "搜索")):
        with translation.override(language):  # the kept text read again; a word per request
            context = {"word": word}
            text = kept.render(Context(context))
            assert text == plain.render(Context(context))
        assert text == SHOWN[language].format(word=shown if language == "zh-hans" else word)


def test_only_a_literal_without_filters_context_or_as_is_kept():
    template = engine().from_string("{% load i18n kept_i18n %}" + TAGS)
    nodes = template.nodelist.get_nodes_by_type(KeptTranslateNode)

    kept = [True, True, True, True, False, False, False, False, True]
    assert [node.keeps for node in nodes] == kept


def test_each_language_is_translated_once(monkeypatch):
    template = engine().from_string('{% load i18n kept_i18n %}{% translate "Search" %}')
    calls = []
    render = KeptTranslateNode.__mro__[1].render
    monkeypatch.setattr(
        KeptTranslateNode.__mro__[1],
        "render",
        lambda node, context: calls.append(translation.get_language()) or render(node, context),
    )

    for language in ("zh-hans", "en", "zh-hans", "en"):
        with translation.override(language):
            template.render(Context({}))

    assert calls == ["zh-hans", "en"]


def test_changed_settings_forget_the_kept_translations(settings):
    template = engine().from_string('{% load i18n kept_i18n %}{% translate "Search" %}')
    with translation.override("zh-hans"):
        template.render(Context({}))
    [node] = template.nodelist.get_nodes_by_type(KeptTranslateNode)
    assert node._kept == {("zh-hans", True): "搜索"}

    settings.LANGUAGE_CODE = settings.LANGUAGE_CODE  # setting_changed
    assert node._kept == {} and node in shell._translations
