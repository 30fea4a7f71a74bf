"""What the type-ahead pickers ask for: a few matches within the person's jurisdiction.

GET /workbench/pick/<kind>/?q=… → {"results": [{"value": …, "text": …}]}, at most
PICK_LIMIT rows. A cadre is found by name, pinyin initials or full-pinyin prefix; a unit by
words of its name or its code. The same scoped querysets as the lists (cadres.permissions),
so a picker never offers what the person may not see; the form validates the choice again.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cadres.permissions import readable_units, visible_cadres
from cadres.queries import search_cadres

PICK_LIMIT = 20


def pick_cadres(user, text: str) -> list[dict]:
    rows = search_cadres(visible_cadres(user), text).select_related("unit")
    return [
        {"value": c.pk, "text": f"{c.name} · {c.unit.name} · {c.position}"}
        for c in rows.order_by("name", "id")[:PICK_LIMIT]
    ]


def pick_units(user, text: str) -> list[dict]:
    units = readable_units(user)
    if text.isascii() and text.isdigit():
        units = units.filter(code__startswith=text)
    else:
        units = units.filter(name__contains=text)
    return [
        {"value": u.pk, "text": f"{u.name}（{u.code}）" if u.code else u.name}
        for u in units.order_by("path")[:PICK_LIMIT]
    ]


PICKERS = {"cadres": pick_cadres, "units": pick_units}


@never_cache
@login_required
@require_GET
def pick(request: HttpRequest, kind: str) -> JsonResponse:
    finder = PICKERS.get(kind)
    if finder is None:
        raise Http404
    text = " ".join(request.GET.get("q", "").split())[:40]
    return JsonResponse({"results": finder(request.user, text) if text else []})



