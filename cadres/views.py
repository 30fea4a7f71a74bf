"""Cadre pages: list, profile, reveal of the ID number, edit and move.

Every view reaches cadres only through cadres.permissions and writes only through
cadres.services.
"""

from __future__ import annotations

import functools

import filetype
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import audit
from core.listing import Sorting, header_cells, options_html, xlsx_response
from core.paging import (
    COUNT_CAP,
    DEFAULT_PAGE_SIZE,
    PAGE_SIZES,
    capped_count,
    keyset_page,
    path_branches,
)

from . import services
from .access import recall, recalls
from .filters import CadreFilter, fields_html
from .forms import CadreEditForm, CadreMoveForm
from .models import Cadre, CadreDossier, FamilyMember, Unit
from .permissions import get_cadre_for_user, visible_cadre_paths, writable_units
from .queries import LIST_ORDER, position_history, talent_lists, visible_for_listing
from .rows import for_list, list_rows, rows_html

CADRE_SORTING = Sorting(
    columns={
        "unit": (_l("Unit"), LIST_ORDER),
        "name": (_l("Name"), ("name", "id")),
        "rank": (_l("Rank"), ("rank", "name", "id")),
    },
    default="unit",
)


def _page_size(request: HttpRequest) -> int:
    raw = request.GET.get("size", "")
    size = int(raw) if raw.isascii() and raw.isdigit() else None
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


LIST_RECALLED = ("r", "roster", "talent-lists")
"""The reach, the export button and the pools and lists: read from the cache in one round
trip (cadres.access.recall), the one that reads the user's menu (recalls)."""


@login_required
@recalls(*LIST_RECALLED)
def cadre_list(request: HttpRequest) -> HttpResponse:
    recall(request.user, LIST_RECALLED)
    cadre_filter = CadreFilter(request.GET or None, queryset=Cadre.objects.all(), request=request)
    size = _page_size(request)
    paths = visible_cadre_paths(request.user)
    branches = path_branches(cadre_filter, paths, Cadre.objects)
    if branches is None:
        cadre_filter.queryset = visible_for_listing(request.user, paths)
    # With branches, the page's rows are those the branches yield (each an access path of
    # visible_cadres with the filter applied), read by primary key, as the register does:
    # restating the OR of every access path around them cost more CPU (building and
    # compiling it) than the rest of the query. Without branches, the scoped queryset.
    matching = cadre_filter.qs
    page = keyset_page(
        for_list(matching),
        cursor=request.GET.get("cursor", ""),
        size=size,
        order=CADRE_SORTING.order(request.GET),
        branches=branches,
    )
    query = request.GET.copy()
    query.pop("cursor", None)
    # The pools and lists, when first needed: from the cache (without it, the rows' query
    # reads the names of the lists its cadres are in).
    lists = functools.cache(lambda: talent_lists(request.user))
    rows = list_rows(page.rows, lists if settings.ACCESS_CACHE_SECONDS else None)
    sort = CADRE_SORTING.headers(request.GET)
    return render(
        request,
        "cadres/cadre_list.html",
        {
            "filter": cadre_filter,
            "filter_fields": fields_html(cadre_filter, lists),
            "page": page,
            "rows": rows,
            "rows_html": rows_html(rows),
            "count": capped_count(matching, branches=branches),
            "count_cap": COUNT_CAP,
            "size": size,
            "size_options": options_html(((n, n) for n in PAGE_SIZES), size),
            "query": query.urlencode(),
            "sort": sort,
            "sort_cells": header_cells(sort),
        },
    )


@login_required
def cadre_list_export(request: HttpRequest) -> HttpResponse:
    """The rows of the list as filtered and sorted, all of them, as a workbook (audited,
    written row by row; national ID numbers masked as on the page)."""
    cadre_filter = CadreFilter(
        request.GET or None, queryset=visible_for_listing(request.user), request=request
    )
    rows = cadre_filter.qs.select_related("unit").order_by(*CADRE_SORTING.order(request.GET))
    with transaction.atomic():
        audit.record(
            "cadre.list.export",
            actor=request.user,
            after={"filters": {k: v for k, v in sorted(request.GET.items()) if v}},
        )
    headers = [
        _l("Name"),
        _l("Gender"),
        _l("Date of birth"),
        _l("Unit"),
        _l("Position"),
        _l("Rank"),
        _l("Management level"),
        _l("Status"),
        _l("National ID number"),
    ]
    return xlsx_response(
        f"cadres-{timezone.localdate().isoformat()}.xlsx",
        str(_l("Cadres")),
        [str(h) for h in headers],
        (
            [
                c.name,
                c.get_gender_display(),
                c.birth_date,
                c.unit.name,
                c.position,
                c.get_rank_display(),
                c.get_management_level_display(),
                c.get_status_display(),
                c.masked_national_id,
            ]
            for c in rows.iterator(chunk_size=500)
        ),
    )


def _render_profile(
    request: HttpRequest, cadre: Cadre, *, revealed_id: str | None = None
) -> HttpResponse:
    unit = cadre.unit
    history = position_history(cadre, cursor=request.GET.get("cursor", ""))
    return render(
        request,
        "cadres/cadre_detail.html",
        {
            "cadre": cadre,
            "unit_trail": [*Unit.objects.get_ancestors(unit), unit],
            "positions": history.rows,
            "page": history,
            "query": "",
            "memberships": list(
                cadre.memberships.select_related("talent_list").order_by(
                    "talent_list__kind", "talent_list__code"
                )
            ),
            "revealed_id": revealed_id,
            "dossier": CadreDossier.objects.filter(cadre=cadre).first(),
            "family": list(
                FamilyMember.objects.filter(cadre=cadre)[: settings.LRMX_MAX_FAMILY_MEMBERS]
            ),
        },
    )


@login_required
def cadre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_profile(request, get_cadre_for_user(request.user, pk))


@never_cache
@require_POST
@login_required
def cadre_reveal_id(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full ID number once, audited. Not visible: 404; visible but not allowed: 403."""
    cadre = get_cadre_for_user(request.user, pk)
    number = services.cadre_reveal_national_id(
        cadre, actor=request.user, reason=request.POST.get("reason", "").strip()[:500]
    )
    return _render_profile(request, cadre, revealed_id=number)


def _show_service_errors(form: Form, exc: ValidationError, aliases: dict[str, str]) -> None:
    """Put a service's field → message errors on the form's fields (others on top)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, field_messages in exc.message_dict.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, field_messages)


@login_required
def cadre_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = get_cadre_for_user(request.user, pk, for_change=True)
    form = CadreEditForm(request.POST or None, cadre=cadre)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("cadres:detail", pk=cadre.pk)
        try:
            services.cadre_update(
                cadre, actor=request.user, changes=changes, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _show_service_errors(form, exc, {"national_id": "national_id"})
        except PermissionDenied as exc:
            form.add_error("management_level" if "management_level" in changes else None, str(exc))
        else:
            messages.success(request, _("The cadre record was saved."))
            return redirect("cadres:detail", pk=cadre.pk)
        form.style_widgets()
    return render(
        request,
        "cadres/cadre_form.html",
        {
            "cadre": cadre,
            "form": form,
            "heading": _("Edit cadre record"),
            "submit_label": _("Save changes"),
        },
    )


@login_required
def cadre_record_move(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = get_cadre_for_user(request.user, pk, for_change=True)
    form = CadreMoveForm(request.POST or None, cadre=cadre, units=writable_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.cadre_move(
                cadre,
                actor=request.user,
                move=data["move"],
                on=data["on"],
                unit=data["unit"],
                title=data["title"],
                rank=data["rank"],
                post_type=data["post_type"] or None,
                document_ref=data["document_ref"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            _show_service_errors(form, exc, {})
        except PermissionDenied as exc:
            form.add_error("unit", str(exc))
        else:
            messages.success(request, _("The move was recorded."))
            return redirect("cadres:detail", pk=cadre.pk)
        form.style_widgets()
    return render(
        request,
        "cadres/cadre_form.html",
        {
            "cadre": cadre,
            "form": form,
            "heading": _("Record a move"),
            "submit_label": _("Record the move"),
        },
    )


@login_required
def cadre_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The photo an .lrmx import brought, for those who may see the cadre (type by content)."""
    cadre = get_cadre_for_user(request.user, pk)
    dossier = CadreDossier.objects.filter(cadre=cadre).first()
    if dossier is None or not dossier.photo:
        raise Http404("No photo")
    with dossier.photo.open("rb") as handle:
        content = handle.read()
    kind = filetype.guess(content)
    if kind is None or not kind.mime.startswith("image/"):
        raise Http404("No photo")
    response = HttpResponse(content, content_type=kind.mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
