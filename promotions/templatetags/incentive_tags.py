"""Incentives on other apps' pages: a cadre's commendations on the profile."""

from django import template

from promotions.incentives.access import commendable_cadres
from promotions.incentives.commendations import cadre_commendations

register = template.Library()


@register.simple_tag
def commendations_of(user, cadre):
    """The cadre's commendations the user may see (one query)."""
    return cadre_commendations(user, cadre)


@register.simple_tag
def may_commend(user, cadre) -> bool:
    return commendable_cadres(user).filter(pk=cadre.pk).exists()
