"""Permission predicates for templates: thin wrappers over cadres.permissions.

Views and templates ask the same functions, so a link is shown exactly when the view
behind it would serve the user. Use them as `{% may_change_cadre user cadre as can_edit %}`.
"""

from __future__ import annotations

from django import template

from cadres import permissions

register = template.Library()


@register.simple_tag
def may_change_cadre(user, cadre) -> bool:
    return permissions.can_change_cadre(user, cadre)


@register.simple_tag
def may_reveal_national_id(user, cadre) -> bool:
    return permissions.can_reveal_national_id(user, cadre)


@register.simple_tag
def may_export_roster(user) -> bool:
    return permissions.may_export_roster(user)
