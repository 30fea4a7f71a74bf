"""`{% shell %}` and `{% live %}`: a page shell rendered once (core.shell)."""

from django import template

from ..shell import parse_live, parse_shell

register = template.Library()
register.tag("shell", parse_shell)
register.tag("live", parse_live)
