"""Filters of the cadre list. They narrow a queryset that permissions already scoped."""

from __future__ import annotations

from collections.abc import Callable

import django_filters
from django import forms
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.listing import LeanFilterSet, ModelChoiceFilter, per_language

from .access import remembered
from .enums import CadreStatus, ManagementLevel, PostType, Rank, UnitKind
from .forms import UnitChoiceField
from .models import Authority, TalentList, Unit
from .permissions import readable_units
from .queries import search_cadres, talent_lists


def _named(rows) -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in rows.order_by("name", "pk").values_list("pk", "name")]


def authority_choices(user) -> list[tuple[str, str]]:
    """(str(pk), name) of every authority, by name: the choices of filters that offer
    some of them. Kept in the user's cache entry under the reach generation
    (cadres.access.remembered), which every change of an authority moves on."""
    return remembered(user, "filter-authorities-all", lambda: _named(Authority.objects.all()))


def own_authority_choices(user) -> list[tuple[str, str]]:
    """(str(pk), name) of the user's own authorities (an administrator's: all), by name;
    cached as authority_choices is (a change of a user's authorities moves the generation
    on too)."""
    if user.is_administrator:
        return authority_choices(user)
    return remembered(user, "filter-authorities-own", lambda: _named(user.authorities.all()))


class UnitSubtreeFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


def _filter_units(request):
    # Villages are left out of the select: there can be thousands of them.
    return readable_units(request.user).exclude(kind=UnitKind.VILLAGE)


class CadreFilter(LeanFilterSet):
    q = django_filters.CharFilter(
        label=_("Name or pinyin"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 张三, zs or zhangs")}),
    )
    unit = UnitSubtreeFilter(
        label=_("Unit (with subordinate units)"),
        queryset=_filter_units,
        method="filter_unit",
        empty_label=_("All units"),
    )
    rank_min = django_filters.TypedChoiceFilter(
        label=_("Rank from"),
        field_name="rank",
        lookup_expr="gte",
        choices=per_language(lambda: [("", _("Any")), *Rank.choices]),
        coerce=int,
    )
    rank_max = django_filters.TypedChoiceFilter(
        label=_("Rank up to"),
        field_name="rank",
        lookup_expr="lte",
        choices=per_language(lambda: [("", _("Any")), *Rank.choices]),
        coerce=int,
    )
    management_level = django_filters.ChoiceFilter(
        label=_("Management level"),
        choices=per_language(lambda: ManagementLevel.choices),
        empty_label=_("Any"),
    )
    post_type = django_filters.ChoiceFilter(
        label=_("Post type"), choices=per_language(lambda: PostType.choices), empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=per_language(lambda: CadreStatus.choices), empty_label=_("Any")
    )
    talent_list = ModelChoiceFilter(
        label=_("Pool or list"),
        field_name="talent_lists",
        queryset=TalentList.objects.all(),
        empty_label=_("Any"),
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # The unit picker renders only the chosen unit (core.pickers): the user's units are
        # needed only to check a unit that was asked for. Building their query costs more
        # CPU than rendering the whole filter form, so without a unit none are read.
        if not (self.data or {}).get(f"{prefix}-unit" if prefix else "unit"):
            self.filters["unit"].queryset = Unit.objects.none()

    def filter_search(self, queryset, name, value):
        return search_cadres(queryset, value)

    def filter_unit(self, queryset, name, value: Unit):
        return queryset.filter(unit__path__startswith=value.path)

    @property
    def form(self):
        form = super().form
        for name, field in form.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if form.is_bound and name in form.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css
        return form


FIELDS_TEMPLATE = "cadres/_cadre_filter_fields.html"
FIELDS_KEPT = 256
_fields_html: dict[tuple, str] = {}


def fields_html(cadre_filter: CadreFilter, lists: Callable[[], tuple] | None = None) -> SafeString:
    """The filter form's fields (FIELDS_TEMPLATE), rendered once per language, submitted
    values and pools and lists, and kept in this process: rendering eight widgets and their
    choices cost about a fifth of the cadre list's CPU on every request.

    What the fields show is a pure function of the key: the labels and fixed choices (the
    language), the values and errors (the submitted values, validated against fixed choices
    and the pools and lists: `lists()`, else cadres.queries.talent_lists, from the cache,
    whose generation every change of a pool or list moves on). A chosen unit is shown by
    its name, read from the database: those forms are rendered every time."""
    data = cadre_filter.data
    if data.get("unit"):
        return _render_fields(cadre_filter)
    values = tuple(
        (name, tuple(data.getlist(name)) if hasattr(data, "getlist") else (data[name],))
        for name in cadre_filter.filters
        if name in data
    )
    choices = lists() if lists is not None else talent_lists(cadre_filter.request.user)
    key = (get_language(), cadre_filter.is_bound, values, choices)
    found = _fields_html.get(key)
    if found is None:
        found = _render_fields(cadre_filter)
        if len(_fields_html) >= FIELDS_KEPT:
            _fields_html.clear()
        _fields_html[key] = found
    return mark_safe(found)  # noqa: S308 (rendered by the template engine)


def _render_fields(cadre_filter: CadreFilter) -> str:
    return render_to_string(FIELDS_TEMPLATE, {"filter": cadre_filter}).strip()


def forget_fields(**kwargs) -> None:
    """Settings changed (tests): labels and URLs may differ now."""
    _fields_html.clear()


setting_changed.connect(forget_fields, dispatch_uid="cadres-filter-fields-forget")
