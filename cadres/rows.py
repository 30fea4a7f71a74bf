"""The cadre list's rows as the page shows them, built once per request in plain Python.

The list read whole Cadre and Unit instances and rendered each cell through template
lookups, `get_FOO_display`, `{% url %}`, `{% blocktranslate %}` and a prefetch of
TalentList instances: about half of the page's CPU. Here the query reads only the columns
shown (LIST_COLUMNS), the choice labels are translated once per request (core.display),
the profile link is reversed once per request (core.listing.pk_url), the query's rows are
named tuples (no model instances), and each row is a dict of ready strings, printed as
escaped HTML in one pass (rows_html).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from html import escape as _escape

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.display import labels
from core.formatting import mask_id_number
from core.listing import pk_url
from core.statements import statement

from .enums import CadreStatus, TalentListKind
from .models import Cadre, ListMembership, TalentList

LIST_COLUMNS = (
    "name", "gender", "birth_date", "national_id", "unit__name", "position", "rank",
    "management_level", "status",
)  # fmt: skip
"""What the list shows of a cadre (with its primary key and unit id, which keyset paging
reads for the cursor)."""


def for_list(cadres: QuerySet[Cadre]) -> QuerySet:
    """`cadres` reading only what the list shows, with the unit's name in the same row, as
    named tuples (no model instances): `id`, `unit_id` and LIST_COLUMNS."""
    return cadres.values_list("id", "unit_id", *LIST_COLUMNS, named=True)


def age_on(today: dt.date, birth_date: dt.date) -> int:
    """Full years of age on `today` (as the `age` filter of cadre_display)."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


_CADRES = "SELECT NULL /* talent_badges cadres */"


def _memberships() -> QuerySet[ListMembership]:
    """The memberships of the cadres put in place of _CADRES (core.statements: compiled
    once, not on every page)."""
    return ListMembership.objects.filter(cadre_id__in=RawSQL(_CADRES, ())).only(  # noqa: S611
        "cadre_id", "talent_list_id"
    )


Lists = Callable[[], tuple[tuple[int, str, str], ...]]
"""Every pool and list as cadres.queries.talent_lists gives them, when first asked for."""


def talent_badges(
    cadre_ids: list[int], lists: Lists | None = None
) -> dict[int, list[tuple[str, str]]]:
    """cadre id → [(list name, badge class)] in the lists' order (kind, code): one query.

    Given `lists` (every pool and list as cadres.queries.talent_lists gives them, from the
    cache; asked for only when a cadre is in one), the query reads the memberships alone
    and is compiled once (core.statements); a membership of a list not among them (made
    since they were read) reads the lists again. Without, it reads the lists' names with
    the memberships."""
    if not cadre_ids:
        return {}
    if lists is None:
        return _badges(
            ListMembership.objects.filter(cadre_id__in=cadre_ids)
            .order_by("talent_list__kind", "talent_list__code")
            .values_list("cadre_id", "talent_list__name", "talent_list__kind")
        )
    ids = [int(pk) for pk in cadre_ids]
    memberships = [
        (membership.cadre_id, membership.talent_list_id)
        for membership in statement(ListMembership, _memberships, _CADRES).rows(
            fragments={_CADRES: (", ".join(["%s"] * len(ids)), ids)}
        )
    ]
    if not memberships:
        return {}
    given = lists()
    if any(list_id not in {pk for pk, _name, _kind in given} for _cadre, list_id in memberships):
        given = tuple(TalentList.objects.values_list("pk", "name", "kind"))
    place = {pk: (index, name, kind) for index, (pk, name, kind) in enumerate(given)}
    ordered = sorted(memberships, key=lambda membership: place[membership[1]][0])
    return _badges((cadre_id, *place[list_id][1:]) for cadre_id, list_id in ordered)


def _badges(memberships) -> dict[int, list[tuple[str, str]]]:
    """(cadre id, list name, list kind) in the lists' order, as talent_badges answers."""
    badges: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for cadre_id, name, kind in memberships:
        badges[cadre_id].append(
            (name, "badge-pool" if kind == TalentListKind.POOL else "badge-list")
        )
    return badges


def list_rows(cadres: list, lists: Lists | None = None) -> list[dict]:
    """The page's rows: one dict of display strings per cadre (read through for_list);
    `lists` as for talent_badges."""
    if not cadres:
        return []
    field = Cadre._meta.get_field
    status, gender = labels(field("status")), labels(field("gender"))
    rank, level = labels(field("rank")), labels(field("management_level"))
    detail = pk_url("cadres:detail")
    today = timezone.localdate()
    age = gettext("age %(age)s")
    badges = talent_badges([c.id for c in cadres], lists)
    return [
        {
            "pk": c.id,
            "url": detail(c.id),
            "name": c.name,
            "status": "" if c.status == CadreStatus.SERVING else status.get(c.status, c.status),
            "gender": gender.get(c.gender, c.gender),
            "born": f"{c.birth_date.year:04d}.{c.birth_date.month:02d}",
            "age": age % {"age": age_on(today, c.birth_date)},
            "unit": c.unit__name,
            "position": c.position,
            "rank": rank.get(c.rank, c.rank),
            "level": level.get(c.management_level, c.management_level),
            "lists": badges.get(c.id, ()),
            "masked_id": mask_id_number(c.national_id),
        }
        for c in cadres
    ]


def escape(value) -> str:
    """What django.utils.html.escape returns (without its lazy-string wrapper)."""
    return _escape(str(value))


ROW = """
        <tr data-testid="cadre-row">
          <td class="text-nowrap"><a class="fw-semibold" href="{url}">{name}</a>{status}</td>
          <td class="d-none d-md-table-cell">{gender}</td>
          <td class="text-nowrap">{born} <span class="text-muted small">({age})</span></td>
          <td>{unit}</td>
          <td>{position}</td>
          <td class="text-nowrap">{rank}</td>
          <td class="d-none d-lg-table-cell text-nowrap">{level}</td>
          <td class="d-none d-lg-table-cell">{lists}</td>
          <td class="d-none d-xl-table-cell masked text-nowrap">{masked_id}</td>
        </tr>
      """
NO_LIST = '<span class="text-muted">—</span>'


def rows_html(rows: list[dict]) -> SafeString:
    """The table's rows (list_rows) as HTML, every value escaped: what the template's loop
    printed, built in one pass (25 to 100 rows of a dozen values cost the template engine
    several milliseconds of variable lookups and autoescaping)."""
    parts = []
    for row in rows:
        status = row["status"]
        parts.append(
            ROW.format(
                url=escape(row["url"]),
                name=escape(row["name"]),
                status=(
                    f' <span class="badge text-bg-light border">{escape(status)}</span>'
                    if status
                    else ""
                ),
                gender=escape(row["gender"]),
                born=escape(row["born"]),
                age=escape(row["age"]),
                unit=escape(row["unit"]),
                position=escape(row["position"]),
                rank=escape(row["rank"]),
                level=escape(row["level"]),
                lists="".join(
                    f'<span class="badge rounded-pill {escape(badge)} me-1">{escape(name)}</span>'
                    for name, badge in row["lists"]
                )
                or NO_LIST,
                masked_id=escape(row["masked_id"]),
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
