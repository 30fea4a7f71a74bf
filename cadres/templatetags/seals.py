"""``authority|seal_data_uri``: the authority's electronic seal for official documents
(cadres.seals), or "" to leave the place blank for the physical seal."""

from django import template

from cadres.seals import seal_data_uri as _seal_data_uri

register = template.Library()


@register.filter
def seal_data_uri(authority) -> str:
    return _seal_data_uri(authority)
