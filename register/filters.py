"""The register filter: authority, year, kind, conclusion, matched situation, cadre, dates.

It narrows readable_documents(user) and nothing else, so every choice it offers and every
row it returns is the user's to see. The page, the export and the API share it; an export
keeps the filter as the strings it was given (`as_data`) and applies them again when it runs.
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cadres.access import remembered
from cadres.filters import authority_choices
from cadres.models import Cadre
from cadres.queries import search_cadres
from core.document_access import readable_document_paths, readable_documents
from core.listing import KeyedChoiceFilter, LeanFilterSet, per_language
from core.models import DocumentKind, IssuedDocument, User
from core.paging import BranchSQL, compile_branches, path_branches
from core.statements import statement
from tolerance.models import PolicyVersion
from tolerance.models.policy import PolicyStatus
from tolerance.queries import short_label, situation_catalogue

from .queries import (
    CASE_SUBJECT,
    PETITION_SUBJECT,
    Span,
    matching_situation,
    readable_span,
    with_findings,
    with_outcome,
)


def _outcome_choices():
    from tolerance.enums import Outcome

    return Outcome.choices


_SITUATIONS: dict[tuple[int, ...], dict[str, str]] = {}


def _forget_situations(sender, **kwargs) -> None:
    # Published versions never change; a test database may reuse an id, though.
    _SITUATIONS.clear()


post_save.connect(_forget_situations, sender=PolicyVersion, dispatch_uid="register-situations")
post_delete.connect(_forget_situations, sender=PolicyVersion, dispatch_uid="register-situations")


def _published_versions() -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.filter(status=PolicyStatus.PUBLISHED).only("pk").order_by("id")


def situations_in_force() -> dict[str, str]:
    """tolerance.queries.situation_catalogue, read once per set of published policy
    versions: a published version is immutable (a change is a new version), so the
    catalogue is a pure function of their ids, which one index read gives."""
    if not settings.ACCESS_CACHE_SECONDS:  # the cross-request caches are off (tests)
        return situation_catalogue()
    key = tuple(version.pk for version in statement(PolicyVersion, _published_versions).rows())
    found = _SITUATIONS.get(key)
    if found is None:
        if len(_SITUATIONS) > 8:
            _SITUATIONS.clear()
        found = _SITUATIONS[key] = situation_catalogue()
    return found


SUBJECT_NUMBER = re.compile(r"^(RC|XF)(?:\d{4})?-?0*(\d{1,9})$", re.IGNORECASE)


def search_documents(queryset, text: str):
    """A case or petition number (RC2026-00012, XF2026-00003: the documents about it), words
    of a document number or title, or a cadre (name, pinyin initials or full-pinyin prefix:
    the cadre's documents and the notices of the cadre's cases)."""
    from tolerance.models import CaseCadre

    text = "".join(text.split())
    if not text:
        return queryset
    if match := SUBJECT_NUMBER.match(text):
        subject = CASE_SUBJECT if match.group(1).upper() == "RC" else PETITION_SUBJECT
        return queryset.filter(subject, object_id=int(match.group(2)))
    cadres = search_cadres(Cadre.objects.all(), text).values("pk")
    in_case = CaseCadre.objects.filter(case_id=OuterRef("object_id"), cadre__in=cadres)
    notice_of_case = CASE_SUBJECT & Q(cadre__isnull=True) & Q(Exists(in_case))
    about_cadre = Q(cadre__in=cadres) | notice_of_case
    if text.isascii() and not any(ch.isdigit() for ch in text):
        return queryset.filter(about_cadre)
    return queryset.filter(about_cadre | Q(number__contains=text) | Q(title__contains=text))


BRANCHES = "register-branches"  # (cadres.access.KINDS: forgotten when the user is saved)
BRANCHES_KEPT = 4


def submitted(register_filter) -> tuple:
    """The values submitted for the filter's fields, as the filter reads them."""
    data = register_filter.data
    return tuple(
        (name, tuple(data.getlist(name)) if hasattr(data, "getlist") else (data[name],))
        for name in register_filter.filters
        if name in data
    )


class RegisterFilter(LeanFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=64,
        widget=forms.TextInput(
            attrs={"placeholder": _("Document or case number, title, cadre name or zs")}
        ),
    )
    authority = KeyedChoiceFilter(label=_("Issuing authority"), empty_label=_("All authorities"))
    year = django_filters.ChoiceFilter(label=_("Year"), choices=[], empty_label=_("Any year"))
    kind = django_filters.ChoiceFilter(
        label=_("Kind of document"),
        choices=per_language(lambda: DocumentKind.choices),
        empty_label=_("Any kind"),
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Conclusion"),
        choices=per_language(_outcome_choices),
        empty_label=_("Any conclusion"),
        method="filter_outcome",
    )
    situation = django_filters.ChoiceFilter(
        label=_("Matched situation"),
        choices=[],
        empty_label=_("Any situation"),
        method="filter_situation",
    )
    cadre = django_filters.CharFilter(
        label=_("Cadre (name or pinyin)"),
        method="filter_cadre",
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 张三 or zs")}),
    )
    issued_from = django_filters.DateFilter(
        label=_("Issued from"),
        field_name="issued_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    issued_to = django_filters.DateFilter(
        label=_("Issued up to"),
        field_name="issued_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = IssuedDocument
        fields: list[str] = []

    def __init__(self, data=None, *, user: User, queryset=None, prefix=None):
        self.user = user
        super().__init__(data, IssuedDocument.objects.none(), prefix=prefix)
        self.queryset = queryset  # None: with_findings(readable), built when first read
        # Choices come from what the user can read (register.queries.readable_span).
        self.filters["authority"].extra["choices"] = lambda: self.authorities
        self.filters["year"].extra["choices"] = lambda: [(str(y), str(y)) for y in self.span.years]
        self.filters["situation"].extra["choices"] = lambda: [
            (code, short_label(code, text)) for code, text in self.situations.items()
        ]

    @property
    def queryset(self) -> QuerySet[IssuedDocument]:
        if self._queryset is None:
            self._queryset = with_findings(self.readable)
        return self._queryset

    @queryset.setter
    def queryset(self, value) -> None:
        self._queryset = value

    @cached_property
    def readable(self) -> QuerySet[IssuedDocument]:
        """readable_documents(user), built when first read (the register's page reads its
        access paths one by one instead: core.paging.path_branches)."""
        return readable_documents(self.user)

    @cached_property
    def paths(self) -> list[Q] | None:
        """readable_document_paths(user), found when first read."""
        return readable_document_paths(self.user)

    @cached_property
    def span(self) -> Span:
        return readable_span(self.user, lambda: self.readable, lambda: self.paths)

    def branches(self) -> list[QuerySet[IssuedDocument]] | None:
        """The filter applied to each access path of readable_documents
        (core.paging.path_branches); None when a value is invalid (the list reads nothing)."""
        if self.is_bound and not self.is_valid():
            return None
        return path_branches(self, self.paths, IssuedDocument.objects.all())

    def compiled_branches(self) -> list[BranchSQL] | None:
        """branches(), compiled (core.paging.compile_branches) and kept with the user's
        reach (cadres.access.remembered: forgotten when units, authorities, grants, groups
        or the user change) for the last BRANCHES_KEPT submitted values: their SQL is a
        pure function of the user's access paths and the values, and building and
        compiling it cost a third of the page's CPU. None as branches()."""
        if self.is_bound and not self.is_valid():
            return None
        key = (self.is_bound, submitted(self))

        def compiled():
            branches = self.branches()
            return None if branches is None else compile_branches(branches)

        def refresh(known: dict) -> dict:
            if key in known:
                return known
            return {**dict(list(known.items())[1 - BRANCHES_KEPT :]), key: compiled()}

        kept = remembered(self.user, BRANCHES, lambda: {key: compiled()}, refresh=refresh)
        return kept[key]

    @cached_property
    def authorities(self) -> list[tuple[str, str]]:
        """The authorities of the span, by name (their names from the per-user cache)."""
        among = {str(pk) for pk in self.span.authorities}
        return [choice for choice in authority_choices(self.user) if choice[0] in among]

    @cached_property
    def situations(self) -> dict[str, str]:
        """Code → text of the tolerance situations (the choices, and the page's tooltips)."""
        return situations_in_force()

    @property
    def qs(self) -> QuerySet[IssuedDocument]:
        """The matching documents; nothing at all when the filter is invalid (never more
        than was asked for)."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    def filter_outcome(self, queryset, name, value):
        return with_outcome(queryset, value)

    def filter_search(self, queryset, name, value):
        return search_documents(queryset, value)

    def filter_situation(self, queryset, name, value):
        return matching_situation(queryset, value)

    def filter_cadre(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(cadre__in=search_cadres(Cadre.objects.all(), value).values("pk"))

    def as_data(self) -> dict[str, str]:
        """The filter as given, valid fields only, without empty ones: what an export keeps."""
        data = self.form.cleaned_data if self.is_valid() else {}
        return {
            name: str(self.form.data.get(self.form.add_prefix(name), "")).strip()
            for name in self.filters
            if data.get(name) not in (None, "")
        }

    def describe(self) -> list[tuple[str, str]]:
        """(label, value) of each filter in use, for people (the export page, its audit)."""
        if not self.is_valid():
            return []
        form = self.form
        result = []
        for name, value in form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = form.fields[name]
            if hasattr(field, "choices"):
                value = dict(field.choices).get(value, value)
            result.append((str(field.label), str(value)))
        return result

    @property
    def form(self):
        form = super().form
        for name, field in form.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if form.is_bound and name in form.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css
        return form


FIELDS_TEMPLATE = "register/_filter_fields.html"
FIELDS_KEPT = 256
_fields_html: dict[tuple, str] = {}


def fields_html(register_filter: RegisterFilter) -> SafeString:
    """The filter form's fields (FIELDS_TEMPLATE), rendered once per language, submitted
    values and choices, and kept in this process: rendering nine widgets and their choices
    cost about a sixth of the register page's CPU on every request.

    What the fields show is a pure function of the key: the labels and fixed choices (the
    language), the values and errors (the submitted values, validated against the choices),
    and the choices the user is offered (authorities and years of the span, situations in
    force), which the key holds as they are."""
    key = (
        get_language(),
        register_filter.is_bound,
        submitted(register_filter),
        tuple(register_filter.authorities),
        register_filter.span.years,
        tuple(register_filter.situations.items()),
    )
    found = _fields_html.get(key)
    if found is None:
        found = render_to_string(FIELDS_TEMPLATE, {"filter": register_filter}).strip()
        if len(_fields_html) >= FIELDS_KEPT:
            _fields_html.clear()
        _fields_html[key] = found
    return mark_safe(found)  # noqa: S308 (rendered by the template engine)


def forget_fields(**kwargs) -> None:
    """Settings changed (tests): labels and URLs may differ now."""
    _fields_html.clear()


setting_changed.connect(forget_fields, dispatch_uid="register-filter-fields-forget")
