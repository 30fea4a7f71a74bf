"""List tools shared by the list pages: sortable headers and Excel exports of the filtered rows.

Sorting: a list declares its sortable columns, each an order ending in a unique column, so
keyset paging (and plain paging) stays stable; the choice travels in the URL (`sort=key`
or `sort=-key`) with the filters, so a sorted, filtered list is a bookmark. A header link
keeps every other parameter and drops the page position (`cursor`, `page`). header_cells
prints the headers as templates/_sort_th.html does, without an include per column.

Export: `xlsx_response` streams a workbook of the rows the list's own filter selects, in
the list's order, written through core.sheets.writer (every text cell stays text: no
formula ever reaches a spreadsheet), from a temporary file in constant memory.

Filters: LeanFilterSet is django-filter's FilterSet without its deep copies; per_language
gives fixed choices translated once per language; KeyedChoiceFilter offers rows whose
(pk, label) pairs come from a cache (e.g. cadres.filters.authority_choices) instead of a
query; form_fields keeps a filter form's rendered fields per language, data and choices;
options_html prints a select box's options as a template loop does.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape as _escape
from typing import Any

import django_filters
from django import forms
from django.http import FileResponse, QueryDict
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django_filters.filters import FilterMethod

from core.sheets.writer import open_workbook

PAGE_PARAMS = ("cursor", "page")


@dataclass(frozen=True)
class Sorting:
    """columns: key → (label, order as a tuple of order_by terms); `default` is a key,
    optionally prefixed with "-"."""

    columns: Mapping[str, tuple[str, tuple]]
    default: str

    def chosen(self, params: Mapping[str, str]) -> tuple[str, bool]:
        raw = params.get("sort", "") or self.default
        key = raw.lstrip("-")
        if key not in self.columns:
            raw = self.default
            key = raw.lstrip("-")
        return key, raw.startswith("-")

    def order(self, params: Mapping[str, str]) -> tuple:
        key, descending = self.chosen(params)
        terms = self.columns[key][1]
        return tuple(_reverse(term) for term in terms) if descending else tuple(terms)

    def headers(self, params: QueryDict) -> dict[str, dict[str, Any]]:
        """key → {label, url, state ("asc", "desc" or ""), aria} for each sortable column."""
        key_now, descending = self.chosen(params)
        result = {}
        for key, (label, _terms) in self.columns.items():
            query = params.copy()
            for name in (*PAGE_PARAMS, "sort"):
                query.pop(name, None)
            current = key == key_now
            query["sort"] = f"-{key}" if current and not descending else key
            state = ("desc" if descending else "asc") if current else ""
            result[key] = {
                "label": label,
                "url": "?" + query.urlencode(),
                "state": state,
                "aria": {"asc": "ascending", "desc": "descending"}.get(state, "none"),
            }
        return result


def header_cells(
    headers: Mapping[str, Mapping[str, Any]], classes: Mapping[str, str] | None = None
) -> dict[str, SafeString]:
    """key → the column's header cell (Sorting.headers) as templates/_sort_th.html prints it
    (`classes`: key → its `extra_class`), for a page that prints its headers without an
    include per column."""
    classes = classes or {}
    return {key: sort_th(header, classes.get(key, "")) for key, header in headers.items()}


SORT_ARROWS = {"asc": " ▲", "desc": " ▼"}


def sort_th(header: Mapping[str, Any], extra_class: str = "") -> SafeString:
    """One header of Sorting.headers as templates/_sort_th.html prints it (with its
    `extra_class`), every value escaped."""
    state = header["state"]
    classes = f' class="{_escape(extra_class)}"' if extra_class else ""
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<th scope="col" aria-sort="{_escape(str(header["aria"]))}"{classes}><a class="sort-link'
        f'{" is-sorted" if state else ""}" href="{_escape(str(header["url"]))}" '
        f'data-sort="{_escape(str(state or "none"))}">{_escape(str(header["label"]))}'
        f'<span class="sort-arrow" aria-hidden="true">{SORT_ARROWS.get(state, " ↕")}</span>'
        "</a></th>\n"
    )


def options_html(choices: Iterable[tuple[Any, Any]], chosen: Any) -> SafeString:
    """`<option>` elements of (value, label) pairs, the one whose value equals `chosen`
    selected, every value escaped: what a template's loop
    `<option value="{{ value }}"{% if value == chosen %} selected{% endif %}>{{ label }}</option>`
    prints."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<option value="{_escape(str(value))}"{" selected" if value == chosen else ""}>'
            f"{_escape(str(label))}</option>"
            for value, label in choices
        )
    )


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The choices read with one plain query. Django's iterator reads them through
    QuerySet.iterator(), which on PostgreSQL opens a server-side cursor (DECLARE ... WITH
    HOLD, FETCH, CLOSE: three round trips and a materialized result) for a few dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedChoiceIterator


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django_filters.ModelChoiceFilter whose select box costs one plain query."""

    field_class = ListedModelChoiceField


class LeanFilterSet(django_filters.FilterSet):
    """A FilterSet that is cheap to make: each request's filters are shallow copies of the
    declared ones (django-filter deep-copies them, with their widgets, labels and choices),
    and its form gets the filters' fields as they are (a form class made for the request,
    whose fields Form.__init__ deep-copies again, is not needed: the fields are the
    request's own). Filtering and validation are django-filter's."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        model = queryset.model
        self.filters = {
            name: _fresh(declared, self, model) for name, declared in self.base_filters.items()
        }

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = self._meta.form(self.data if self.is_bound else None, prefix=self.form_prefix)
            form.fields = {name: filter_.field for name, filter_ in self.filters.items()}
            self._form = form
        return self._form


def _fresh(declared, parent, model):
    """A copy of a declared filter for one FilterSet: its own `extra` (the FilterSets set
    choices and querysets there), no field yet, its method bound to the copy."""
    filter_ = object.__new__(type(declared))
    filter_.__dict__.update(declared.__dict__)
    filter_.__dict__.pop("_field", None)
    filter_.extra = dict(declared.extra)
    if isinstance(declared.__dict__.get("filter"), FilterMethod):
        filter_.filter = FilterMethod(filter_)
    filter_.model = model
    filter_.parent = parent
    return filter_


def per_language(choices: Callable[[], Iterable[tuple[Any, Any]]]) -> Callable[[], tuple]:
    """`choices()` with every label made a str, once per language: fixed choices (an
    enum's labels) are not translated again, and their lazy labels not resolved again on
    every request. A pure function of the language, kept for the process's life."""
    made: dict[str | None, tuple] = {}

    def translated() -> tuple:
        language = get_language()
        found = made.get(language)
        if found is None:
            found = made[language] = tuple((value, str(label)) for value, label in choices())
        return found

    return translated


_kept_fields: dict[tuple, dict[str, dict[str, str]]] = {}
KEPT_FIELDS_MAX = 256


def form_fields(filterset, *, choices: Hashable = ()) -> dict[str, dict[str, str]]:
    """Each field of a filterset's form as its page prints it: name → {"widget": the
    widget's HTML (what `{{ form.name }}` prints), "label", "id" (its `id_for_label`)}, all
    escaped.

    A pure function of the filterset's class, the language, the form's data for its fields
    (each field's widget reads its own name only: text inputs, select boxes, checkboxes)
    and `choices` (whatever choices the filterset reads per request, e.g. the user's own
    authorities), so it is kept for the process's life under those: rendering the widgets
    (an option dict per choice, the attributes, escaping) cost more than the rest of the
    form. Whether a field is invalid (its class, aria-invalid) follows from the same data.
    At most KEPT_FIELDS_MAX forms are kept (then the kept ones are dropped)."""
    data = filterset.data
    prefix = filterset.form_prefix
    names = [f"{prefix}-{name}" if prefix else name for name in filterset.filters]
    try:
        key = (
            type(filterset),
            get_language(),
            tuple((name, name in data, data.get(name)) for name in names),
            choices,
        )
        found = _kept_fields.get(key)
    except TypeError:  # a value that cannot be a key (a list): render it
        key, found = None, None
    if found is None:
        form = filterset.form
        found = {
            name: {
                "widget": conditional_escape(str(form[name])),
                "label": conditional_escape(form[name].label),
                "id": conditional_escape(form[name].id_for_label),
            }
            for name in filterset.filters
        }
        if key is not None:
            if len(_kept_fields) >= KEPT_FIELDS_MAX:
                _kept_fields.clear()
            _kept_fields[key] = found
    return found


class KeyedChoiceField(django_filters.fields.ChoiceField):
    """A choice of rows whose (str(pk), label) pairs were read from a cache rather than by
    a query; a value not among them is refused as ModelChoiceField refuses it."""

    default_error_messages = {
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"],
    }


class KeyedChoiceFilter(django_filters.ChoiceFilter):
    """A ChoiceFilter over rows given as (str(pk), label) pairs (see KeyedChoiceField): it
    filters by the primary key, as ModelChoiceFilter filters by the row."""

    field_class = KeyedChoiceField


def pk_url(viewname: str) -> Callable[[int], str]:
    """`reverse(viewname, args=[pk])` for every row of a list: the URL is reversed once and
    each row's primary key put in its place (a reverse per row cost more than the row)."""
    marker = "2147483647"
    head, tail = reverse(viewname, args=[int(marker)]).rsplit(marker, 1)
    return lambda pk: f"{head}{int(pk)}{tail}"


def _reverse(term):
    if isinstance(term, str):
        return term[1:] if term.startswith("-") else f"-{term}"
    # An OrderBy expression (e.g. F("due_on").asc(nulls_last=True)): flip direction only.
    flipped = term.copy()
    flipped.reverse_ordering()
    if getattr(term, "nulls_last", None):
        flipped.nulls_first, flipped.nulls_last = None, True
    return flipped


def xlsx_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> FileResponse:
    """A workbook with one sheet: a bold header row, then `rows`; streamed from disk."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook = open_workbook(spool, {"constant_memory": True})
    sheet = workbook.add_worksheet(title[:31])
    bold = workbook.add_format({"bold": True})
    dated = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, list(headers), bold)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if hasattr(value, "isoformat"):
                sheet.write_datetime(count, col, value, dated)
            elif value is None:
                sheet.write_blank(count, col, None)
            else:
                sheet.write(count, col, value)
    sheet.set_column(0, max(len(headers) - 1, 0), 18)
    sheet.autofilter(0, 0, count, max(len(headers) - 1, 0))
    workbook.close()
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def audited_export(
    request,
    *,
    action: str,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> FileResponse:
    """A list's export: one audit row naming the filters used (before any row is read),
    then the workbook of `rows` (an iterator: written as read)."""
    from django.db import transaction

    from core import audit

    with transaction.atomic():
        audit.record(
            action,
            actor=request.user,
            after={"filters": {k: v for k, v in sorted(request.GET.items()) if v}},
        )
    return xlsx_response(filename, str(title), [str(h) for h in headers], rows)


def page_query(params: QueryDict) -> str:
    """The list's parameters without the page position: what pager links and the export
    link carry."""
    query = params.copy()
    for name in PAGE_PARAMS:
        query.pop(name, None)
    return query.urlencode()
