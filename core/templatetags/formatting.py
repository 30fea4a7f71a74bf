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


@register.filter
def files_to_choose_again(field) -> str:
    """The names of the files chosen in a file field of a form returned with errors: a
    browser never keeps them, so the field says plainly which to choose again ("" when the
    form is valid or nothing was chosen)."""
    form = field.form
    if not form.is_bound or not form.errors or not form.files:
        return ""
    return "、".join(f.name for f in form.files.getlist(field.html_name))


@register.filter
def kept_uploads(field) -> list:
    """The uploads kept on the server for this file field of a form returned with errors
    (core.kept_uploads); the page sends their tokens back and names them."""
    return list(getattr(field.form, "kept", {}).get(field.name, []))


@register.filter
def kept_upload_names(field) -> str:
    return "、".join(kept.name for kept in kept_uploads(field))
