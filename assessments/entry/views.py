"""The entry pages of every evidence kind (entry.kinds): a list with year filter and
Excel links, and one form to add or edit a row. Reads go through the access helpers,
writes through the services (via the form), refusals come back onto the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..imports.registry import SHEETS
from ..views import year_choices
from .kinds import KINDS, EntryKind, add_url, allowed_once

ROWS_ON_PAGE = 200


def _kind(key: str) -> EntryKind:
    kind = KINDS.get(key)
    if kind is None:
        raise Http404
    return kind


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else None


@login_required
def entry_list(request: HttpRequest, key: str) -> HttpResponse:
    kind = _kind(key)
    user = request.user
    if not kind.may_read(user):
        raise Http404
    year = _year(request)
    rows = kind.rows(user)
    if year is not None:
        rows = rows.filter(**{kind.year_lookup: year})
    objects = list(rows.order_by(*kind.order)[:ROWS_ON_PAGE])
    checked: dict = {kind.may_read: True}
    writable = kind.may_write(user)
    sheet = SHEETS[kind.sheet]
    editable = writable and kind.get_for_change is not None
    return render(
        request,
        "assessments/entry_list.html",
        {
            "kind": kind,
            "kinds": [k for k in KINDS.values() if allowed_once(checked, k.may_read, user)],
            "rows": [
                {
                    "cells": kind.cells(obj),
                    "edit": reverse("assessments:entry-edit", args=[kind.key, obj.pk])
                    if editable
                    else "",
                }
                for obj in objects
            ],
            "year": year,
            "years": year_choices(),
            "capped": len(objects) >= ROWS_ON_PAGE,
            "add_url": add_url(kind) if writable else "",
            "can_import": writable and sheet.may_write(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, key: str, pk: int | None = None) -> HttpResponse:
    kind = _kind(key)
    user = request.user
    if kind.form is None or not kind.may_write(user):
        raise Http404
    instance = None
    if pk is not None:
        if kind.get_for_change is None:
            raise Http404
        instance = kind.get_for_change(user, pk)
    form = kind.form(user, request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save_or_errors(user)
        if saved is not None:
            messages.success(request, _("Saved: %(what)s.") % {"what": kind.label})
            year = getattr(saved, "year", None) or getattr(
                getattr(saved, "month", None), "year", ""
            )
            return redirect(reverse("assessments:entry", args=[kind.key]) + f"?year={year}")
    return render(
        request,
        "assessments/entry_form.html",
        {"kind": kind, "form": form, "instance": instance},
    )
