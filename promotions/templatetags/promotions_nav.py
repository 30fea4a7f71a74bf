"""The promotions section's tabs (promotions/_nav.html), rendered once per language and page.

The tabs are a pure function of the language, the page (its URL name, which tab is active)
and the URL configuration: seven reversed URLs and seven translations that every request
rendered again. Kept for the process's life (dropped when settings change, in tests)."""

from __future__ import annotations

from types import SimpleNamespace

from django import template
from django.core.signals import setting_changed
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_kept: dict[tuple, SafeString] = {}


@register.simple_tag(takes_context=True)
def promotions_nav(context) -> SafeString:
    """What `{% include "promotions/_nav.html" %}` prints on this page."""
    match = getattr(context.get("request"), "resolver_match", None)
    name = getattr(match, "url_name", None)
    key = (get_language(), name, get_script_prefix())
    found = _kept.get(key)
    if found is None:
        # Rendered with nothing of the request but the page's URL name.
        page = SimpleNamespace(resolver_match=SimpleNamespace(url_name=name))
        found = mark_safe(get_template("promotions/_nav.html").render({"request": page}))  # noqa: S308 - a template's output
        _kept[key] = found
    return found


def forget_kept(**kwargs) -> None:
    _kept.clear()


setting_changed.connect(forget_kept, dispatch_uid="promotions-nav-forget")
