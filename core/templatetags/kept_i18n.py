"""`{% translate %}` of a literal translated once per language (core.shell): load it after
i18n (`{% load i18n kept_i18n %}`)."""

from django import template

from ..shell import parse_translate

register = template.Library()
register.tag("translate", parse_translate)
register.tag("trans", parse_translate)
