"""The page shell kept once per language and login state (core.shell, base.html): pages are
the same as a plain rendering, and nothing of one request is kept for the next."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.loader_tags import BlockNode
from django.urls import reverse

from core import shell
from core.shell import ShellNode

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def engine(**templates) -> Engine:
    return Engine(
        loaders=[
            (
                "django.template.loaders.cached.Loader",
                [("django.template.loaders.locmem.Loader", templates)],
            )
        ],
        libraries={"shell": "core.templatetags.shell"},
    )


class Person:
    is_authenticated = True

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name


def test_only_live_parts_and_blocks_follow_the_request():
    e = engine(
        base="{% load shell %}{% shell %}<t>{% block title %}{% endblock %}</t>"
        "[{{ user }}][{% live %}{{ user }}{% endlive %}]"
        "{% if user.is_authenticated %}in{% else %}out{% endif %}",
        page='{% extends "base" %}{% block title %}{{ title }}{% endblock %}',
    )
    page = e.get_template("page")
    assert page.render(Context({"user": Person("甲"), "title": "一"})) == "<t>一</t>[][甲]in"
    assert page.render(Context({"user": Person("乙"), "title": "二"})) == "<t>二</t>[][乙]in"
    assert page.render(Context({"title": "三"})) == "<t>三</t>[][]out"
    node = next(n for n in e.get_template("base").nodelist if isinstance(n, ShellNode))
    assert len(node._kept) == 2  # logged in and not, in this language


def test_a_block_the_shell_would_keep_is_refused():
    e = engine(base="{% load shell %}{% shell %}{% if x %}{% block a %}{% endblock %}{% endif %}")
    with pytest.raises(TemplateSyntaxError, match="must be live"):
        e.get_template("base")


def test_a_live_part_altered_by_its_surroundings_is_refused():
    e = engine(base="{% load shell %}{% shell %}{% filter upper %}{% live %}x{% endlive %}"
               "{% endfilter %}")
    with pytest.raises(TemplateSyntaxError, match="out of order or altered"):
        e.get_template("base").render(Context({}))


def test_the_blocks_are_found_without_walking_the_kept_text_again():
    e = engine(base="{% load shell %}{% shell %}{% block a %}{% endblock %}<p>{% block b %}"
               "{% endblock %}</p>")
    node = next(n for n in e.get_template("base").nodelist if isinstance(n, ShellNode))
    names = [b.name for b in node.get_nodes_by_type(BlockNode)]
    assert names == ["a", "b"]
    node.get_nodes_by_type(BlockNode).clear()  # a copy
    assert [b.name for b in node.get_nodes_by_type(BlockNode)] == names


def test_changed_settings_forget_the_kept_text(settings):
    template = Template("{% load shell %}{% shell %}{% load static %}{% static 'a.css' %}")
    assert template.render(Context({})) == "/static/a.css"
    settings.STATIC_URL = "/s/"
    assert template.render(Context({})) == "/s/a.css"


@pytest.fixture
def plain(monkeypatch):
    """Pages rendered without the kept text: every node in the request's context."""

    def render(rendering):
        monkeypatch.setattr(ShellNode, "render", ShellNode.render_plain if rendering else KEPT)

    return render


KEPT = ShellNode.render


@pytest.mark.parametrize("persona", ["clerk_a", "cadre_a1", "admin", None])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_are_what_a_plain_rendering_gives(client, personas, plain, persona, language):
    if persona:
        client.force_login(getattr(personas, persona))
    client.cookies["django_language"] = language
    pages = [reverse("login")] if persona is None else [
        reverse("home"), reverse("notifications"), reverse("cadres:list")
    ]
    for url in pages:
        kept = client.get(url)
        plain(True)
        rendered = client.get(url)
        plain(False)
        assert kept.status_code == rendered.status_code == 200
        assert CSRF.sub("", kept.content.decode()) == CSRF.sub("", rendered.content.decode())
        assert shell.PROBE not in kept.content.decode()


def test_one_user_name_never_reaches_another(client, personas):
    client.force_login(personas.clerk_a)
    first = client.get(reverse("home")).content.decode()
    client.force_login(personas.cadre_a1)
    second = client.get(reverse("home")).content.decode()
    assert str(personas.clerk_a) in first
    assert str(personas.clerk_a) not in second
    assert str(personas.cadre_a1) in second
