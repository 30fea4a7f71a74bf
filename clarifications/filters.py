"""The petitions list filter: handling authority, year received, state, outcome, channel.

It narrows visible_petitions(user) and nothing else, so every row it returns is the user's
to see; the list page and the CSV export share it.
"""

from __future__ import annotations

import datetime as dt
import re

import django_filters
from django import forms
from django.db.models import Max, Min, Q, QuerySet
from django.utils.translation import pgettext_lazy

from cadres.models import Authority, Cadre
from cadres.queries import search_cadres
from core.listing import LeanFilterSet, ModelChoiceFilter, per_language
from core.paging import path_branches

from .enums import Channel, PetitionOutcome, PetitionState
from .models import Petition


def _t(text: str):
    return pgettext_lazy("clarifications", text)


PETITION_NUMBER = re.compile(r"^XF(?:\d{4})?-?0*(\d{1,9})$", re.IGNORECASE)


def search_petitions(queryset: QuerySet[Petition], text: str) -> QuerySet[Petition]:
    """A petition number (XF2026-00003), or the cadre or unit it is about (a cadre's name,
    pinyin initials or full-pinyin prefix; words of a unit's name). Never the informant."""
    text = "".join(text.split())
    if not text:
        return queryset
    if match := PETITION_NUMBER.match(text):
        return queryset.filter(pk=int(match.group(1)))
    cadres = search_cadres(Cadre.objects.all(), text).values("pk")
    if text.isascii():
        return queryset.filter(cadre__in=cadres)
    return queryset.filter(Q(cadre__in=cadres) | Q(unit__name__contains=text))


class PetitionFilter(LeanFilterSet):
    q = django_filters.CharFilter(
        label=_t("Search"),
        method="filter_search",
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _t("Number, cadre name or zs, unit")}),
    )
    authority = ModelChoiceFilter(
        label=_t("handling authority"),
        queryset=Authority.objects.none(),
        empty_label=_t("All authorities"),
    )
    year = django_filters.ChoiceFilter(
        label=_t("Year received"), choices=[], empty_label=_t("Any year"), method="filter_year"
    )
    state = django_filters.ChoiceFilter(
        label=_t("state"),
        choices=per_language(lambda: PetitionState.choices),
        empty_label=_t("Any state"),
    )
    outcome = django_filters.ChoiceFilter(
        label=_t("outcome"),
        choices=per_language(lambda: PetitionOutcome.choices),
        empty_label=_t("Any outcome"),
    )
    channel = django_filters.ChoiceFilter(
        label=_t("channel"),
        choices=per_language(lambda: Channel.choices),
        empty_label=_t("Any channel"),
    )

    class Meta:
        model = Petition
        fields = ["q", "authority", "year", "state", "outcome", "channel"]

    def __init__(self, data=None, *, queryset: QuerySet[Petition]):
        super().__init__(data, queryset=queryset)
        self.filters["authority"].queryset = Authority.objects.filter(
            pk__in=queryset.order_by().values("authority_id")
        ).order_by("name")
        # The years from the first petition received to the last: two index reads (the
        # distinct years of every row would read them all).
        span = queryset.order_by().aggregate(first=Min("received_on"), last=Max("received_on"))
        years = range(span["last"].year, span["first"].year - 1, -1) if span["first"] else ()
        self.filters["year"].extra["choices"] = [(y, y) for y in years]
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"

    @property
    def matching(self) -> QuerySet[Petition]:
        """The filtered rows; none at all when a filter value is invalid (the form says why),
        rather than silently ignoring the bad value and showing everything."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return self.qs

    def filter_search(self, queryset: QuerySet[Petition], name: str, value: str):
        return search_petitions(queryset, value)

    def filter_year(self, queryset: QuerySet[Petition], name: str, value: str):
        # A range on the column (not EXTRACT), which the list's indexes can bound.
        year = int(value)
        return queryset.filter(
            received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31)
        )

    def branches(self, paths: list[Q] | None) -> list[QuerySet[Petition]] | None:
        """The filter applied to each access path (core.paging.path_branches); None when
        a value is invalid (the list then reads nothing)."""
        if self.is_bound and not self.is_valid():
            return None
        return path_branches(self, paths, Petition.objects.all())
