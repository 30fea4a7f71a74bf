"""Filters of the staff work queue. They narrow a queryset that permissions already scoped."""

from __future__ import annotations

import datetime as dt
import functools
import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.filters import own_authority_choices
from core.listing import KeyedChoiceFilter, LeanFilterSet, form_fields, per_language

from .enums import CaseState
from .models import Appeal, CaseCadre, Remedy
from .models.review import AppealState, RemedyStatus

OPEN, ALL = "open", "all"
OVERDUE, SOON, NO_DEADLINE, REMEDY_OVERDUE = "overdue", "soon", "none", "remedy_overdue"
SOON_DAYS = 7


CASE_NUMBER = re.compile(r"^RC(?:\d{4})?-?0*(\d{1,9})$", re.IGNORECASE)


def search_cases(queryset, text: str):
    """A case number (RC2025-00012), a cadre's name, pinyin initials or full-pinyin prefix,
    or words of the matter's title."""
    text = "".join(text.split())
    if not text:
        return queryset
    if match := CASE_NUMBER.match(text):
        return queryset.filter(pk=int(match.group(1)))
    if text.isascii():
        key = "".join(ch for ch in text.lower() if ch.isalnum())
        cadres = CaseCadre.objects.filter(case=OuterRef("pk")).filter(
            Q(cadre__name_initials__startswith=key) | Q(cadre__name_pinyin__startswith=key)
        )
        return queryset.filter(Exists(cadres)) if key else queryset.none()
    cadres = CaseCadre.objects.filter(case=OuterRef("pk"), cadre__name__contains=text)
    return queryset.filter(Exists(cadres) | Q(matter__title__contains=text))


def remedy_overdue(today: dt.date) -> Exists:
    """Whether a case has a remedial measure past its date (not done nor verified): what
    the queue shows (its `remedy_overdue` annotation) and filters on."""
    overdue_remedies = Remedy.objects.filter(case=OuterRef("pk"), due_on__lt=today).exclude(
        status__in=(RemedyStatus.DONE, RemedyStatus.VERIFIED)
    )
    return Exists(overdue_remedies)


class QueueFilter(LeanFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Case number, cadre name or zs, matter")}),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=per_language(
            lambda: [(OPEN, _("All open cases")), (ALL, _("All cases")), *CaseState.choices]
        ),
        method="filter_state",
        empty_label=None,
    )
    # The user's own authorities (an administrator's: all), from the per-user cache.
    authority = KeyedChoiceFilter(label=_("Competent authority"), empty_label=_("Any"))
    due = django_filters.ChoiceFilter(
        label=_("Deadline"),
        choices=per_language(
            lambda: [
                (OVERDUE, _("Overdue")),
                (SOON, _("Due within 7 days")),
                (NO_DEADLINE, _("No deadline running")),
                (REMEDY_OVERDUE, _("Remedial measures overdue")),
            ]
        ),
        method="filter_due",
        empty_label=_("Any"),
    )
    mine = django_filters.BooleanFilter(
        label=_("Assigned to me"),
        method="filter_mine",
        widget=forms.CheckboxInput,
    )

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("state"):
            data["state"] = OPEN
        super().__init__(data, *args, **kwargs)
        user = self.request.user
        # (read once: the field calls it to check a value and again to render the options)
        self.filters["authority"].extra["choices"] = functools.cache(
            lambda: own_authority_choices(user)
        )

    def fields(self) -> dict[str, dict[str, str]]:
        """The form's fields as the page prints them (core.listing.form_fields): a function
        of the data and the user's own authorities."""
        return form_fields(self, choices=tuple(self.filters["authority"].extra["choices"]()))

    @property
    def today(self) -> dt.date:
        return timezone.localdate()

    def filter_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(state__in=CaseState.open_states())
        if value == ALL:
            return queryset
        return queryset.filter(state=value)

    def filter_due(self, queryset, name, value):
        today = self.today
        if value == OVERDUE:
            return queryset.filter(due_on__lt=today)
        if value == SOON:
            return queryset.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(SOON_DAYS))
        if value == NO_DEADLINE:
            return queryset.filter(due_on__isnull=True)
        if value == REMEDY_OVERDUE:
            return queryset.filter(remedy_overdue(today))
        return queryset

    def filter_search(self, queryset, name, value):
        return search_cases(queryset, value)

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = self.request.user
        reviewing = Appeal.objects.filter(
            entry__case=OuterRef("pk"), reviewer=user, state=AppealState.PENDING
        )
        return queryset.filter(Q(investigator=user) | Exists(reviewing))

    @property
    def form(self):
        form = super().form
        if getattr(form, "styled", False):
            return form
        form.styled = True
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if form.is_bound and name in form.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css
        return form
