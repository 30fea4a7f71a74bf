from django import template
from django.urls import reverse

from core.enums import Role

register = template.Library()


@register.simple_tag
def clarification_nav(user) -> str:
    """The URL of the petitions page for the roles that may use it, else "".

    Roles only (already loaded for the navigation): no query on every page. The page itself
    decides with permissions.can_see_register.
    """
    if not user.is_authenticated or not user.is_active:
        return ""
    if user.is_administrator or user.has_role(*Role.authority_staff_roles(), Role.AUDITOR):
        return reverse("clarifications:list")
    return ""
