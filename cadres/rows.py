"""The cadre list's rows as the page shows them, built once per request in plain Python.

The list read whole Cadre and Unit instances and rendered each cell through template
lookups, `get_FOO_display`, `{% url %}`, `{% blocktranslate %}` and a prefetch of
TalentList instances: about half of the page's CPU. Here the query reads only the columns
shown (LIST_COLUMNS), the choice labels are translated once per request (core.display),
the profile link is reversed once per request (core.listing.pk_url), and each row is a
dict of ready strings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from core.display import labels
from core.formatting import mask_id_number
from core.listing import pk_url

from .enums import CadreStatus, TalentListKind
from .models import Cadre, ListMembership

LIST_COLUMNS = (
    "name", "gender", "birth_date", "national_id", "unit__name", "position", "rank",
    "management_level", "status",
)  # fmt: skip
"""What the list shows of a cadre (with its primary key and unit id, which keyset paging
reads for the cursor)."""


def for_list(cadres: QuerySet[Cadre]) -> QuerySet[Cadre]:
    """`cadres` reading only what the list shows, with the unit's name in the same row."""
    return cadres.select_related("unit").only(*LIST_COLUMNS)


def age_on(today: dt.date, birth_date: dt.date) -> int:
    """Full years of age on `today` (as the `age` filter of cadre_display)."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def talent_badges(cadre_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """cadre id → [(list name, badge class)] in the lists' order (kind, code): one query."""
    memberships = (
        ListMembership.objects.filter(cadre_id__in=cadre_ids)
        .order_by("talent_list__kind", "talent_list__code")
        .values_list("cadre_id", "talent_list__name", "talent_list__kind")
    )
    badges: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for cadre_id, name, kind in memberships:
        badges[cadre_id].append(
            (name, "badge-pool" if kind == TalentListKind.POOL else "badge-list")
        )
    return badges


def list_rows(cadres: list[Cadre]) -> list[dict]:
    """The page's rows: one dict of display strings per cadre (read through for_list)."""
    if not cadres:
        return []
    field = Cadre._meta.get_field
    status, gender = labels(field("status")), labels(field("gender"))
    rank, level = labels(field("rank")), labels(field("management_level"))
    detail = pk_url("cadres:detail")
    today = timezone.localdate()
    age = gettext("age %(age)s")
    badges = talent_badges([c.pk for c in cadres])
    return [
        {
            "pk": c.pk,
            "url": detail(c.pk),
            "name": c.name,
            "status": "" if c.status == CadreStatus.SERVING else status.get(c.status, c.status),
            "gender": gender.get(c.gender, c.gender),
            "born": f"{c.birth_date.year:04d}.{c.birth_date.month:02d}",
            "age": age % {"age": age_on(today, c.birth_date)},
            "unit": c.unit.name,
            "position": c.position,
            "rank": rank.get(c.rank, c.rank),
            "level": level.get(c.management_level, c.management_level),
            "lists": badges.get(c.pk, ()),
            "masked_id": mask_id_number(c.national_id),
        }
        for c in cadres
    ]
