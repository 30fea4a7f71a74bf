"""`{{ amount|money }}` → "1,000,000.00 元"; `{{ amount|money:"wan" }}` → "12.5 万元";
`{{ number|grouped }}` → "12,345"."""

from django import template

from core import formatting

register = template.Library()


@register.filter
def money(value, unit="yuan"):
    return formatting.money(value, unit)


@register.filter
def grouped(value, places=None):
    return formatting.grouped(value, None if places in (None, "") else int(places))
