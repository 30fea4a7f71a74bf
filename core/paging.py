"""Keyset paging and capped counts for every list.

Big tables (the cadre table may hold a million rows) page by *keyset* (seek) on the list
order instead of OFFSET, and never count the whole table. A page is "the next N rows after
these sort values", found through an index on the order, and costs the same on page 1 and
page 10,000. The price: there are no page numbers, only "previous" and "next". A count is
shown only up to COUNT_CAP rows (`SELECT COUNT(*) FROM (... LIMIT cap)`), so its cost is
bounded too.
"""

from __future__ import annotations

import base64
import binascii
import json
import operator
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query
from django.db.models.utils import create_namedtuple_class

from core.pg_prepared import prepared

PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
COUNT_CAP = 1_000


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]
    next_cursor: str | None
    prev_cursor: str | None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def object_list(self) -> list[Any]:
        """The rows, under the name Django's Page uses."""
        return self.rows


def _fields(model, order: tuple[str, ...]):
    result = []
    for item in order:
        name = item.lstrip("-")
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = next(f for f in model._meta.concrete_fields if f.attname == name)
        result.append((name, item.startswith("-"), field))
    return result


def encode_cursor(direction: str, values: list[Any]) -> str:
    raw = json.dumps([direction, *values], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(model, order: tuple[str, ...], cursor: str) -> tuple[str, list[Any]] | None:
    """(direction, values) from a cursor, or None when it is malformed in any way."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    fields = _fields(model, order)
    if not isinstance(data, list) or len(data) != len(fields) + 1 or data[0] not in ("n", "p"):
        return None
    values = []
    for (_name, _desc, field), value in zip(fields, data[1:], strict=True):
        if value is None or isinstance(value, (list, dict, bool)):
            return None
        try:
            values.append(field.to_python(value))
        except ValidationError:
            return None
    return data[0], values


def _beyond(fields, values, *, forward: bool) -> Q:
    """Rows strictly after (forward) or before the given sort values, in the list order.

    The leading `>=` (or `<=`) on the first column is implied by the OR but lets the
    database use the index on it as a range bound.
    """
    terms = []
    equal = Q()
    for (name, desc, _field), value in zip(fields, values, strict=True):
        later = "lt" if desc == forward else "gt"
        terms.append(equal & Q(**{f"{name}__{later}": value}))
        equal &= Q(**{name: value})
    q = reduce(operator.or_, terms)
    first_name, first_desc, _ = fields[0]
    bound = "lte" if first_desc == forward else "gte"
    return Q(**{f"{first_name}__{bound}": values[0]}) & q


def path_branches(filterset, paths: list[Q] | None, base: QuerySet) -> list[QuerySet] | None:
    """The list's filters applied to each access path on its own, for keyset_page and
    capped_count (None: read the scoped queryset as it is).

    An OR of access paths can only filter rows already fetched; each path alone is an
    index condition that yields rows in the list order. `base` is the model's rows with
    whatever annotations the filters need, *not* scoped: each branch is scoped by its
    path, and the page itself is still read from the scoped queryset (so a branch can
    never show what the user may not see). One path, or a database that cannot order and
    limit inside a UNION (SQLite), reads the single scoped queryset instead.
    """
    if not _branching(paths):
        return None
    return [_filtered(filterset, base.filter(path)) for path in paths]


def _filtered(filterset, qs: QuerySet) -> QuerySet:
    """What filterset.qs does to its queryset, done to another one."""
    if not filterset.is_bound:
        return qs
    filterset.errors  # noqa: B018 (validates the form, as FilterSet.qs does)
    return filterset.filter_queryset(qs)


def q_branches(narrowed: QuerySet, paths: list[Q] | None) -> list[QuerySet] | None:
    """path_branches for lists filtered by plain conditions: `narrowed` is the model's rows
    (not scoped) with the list's filters applied."""
    if not _branching(paths):
        return None
    return [narrowed.filter(path) for path in paths]


def _branching(paths: list[Q] | None) -> bool:
    return (
        bool(paths) and len(paths) > 1 and connection.features.supports_slicing_ordering_in_compound
    )


def _merged(
    qs: QuerySet, branches: list[QuerySet] | None, beyond: Q, order: tuple[str, ...], limit: int
) -> QuerySet:
    """`qs` past `beyond` in `order`, limited; with branches, the rows are those among each
    branch's first `limit` (a UNION of ordered, limited index scans) instead of a scan."""
    ordered = qs.filter(beyond).order_by(*order)
    if not branches:
        return ordered[:limit]
    firsts = [b.filter(beyond).order_by(*order).values("pk")[:limit] for b in branches]
    return ordered.filter(pk__in=firsts[0].union(*firsts[1:]))[:limit]


def keyset_page(
    qs: QuerySet,
    *,
    cursor: str = "",
    size: int = DEFAULT_PAGE_SIZE,
    order: tuple[str, ...],
    branches: list[QuerySet] | None = None,
) -> KeysetPage:
    """One page of `qs` in `order` (non-null columns ending in a unique one), by cursor.

    `branches`: `qs`'s access paths one by one (path_branches), each read in the order.
    """
    fields = _fields(qs.model, order)
    decoded = decode_cursor(qs.model, order, cursor)
    reverse = tuple(o[1:] if o.startswith("-") else f"-{o}" for o in order)
    if decoded is None:
        rows = list(_merged(qs, branches, Q(), order, size + 1))
        has_more, came_from_elsewhere, backward = len(rows) > size, False, False
        rows = rows[:size]
    else:
        direction, values = decoded
        backward = direction == "p"
        beyond = _beyond(fields, values, forward=not backward)
        rows = list(_merged(qs, branches, beyond, reverse if backward else order, size + 1))
        has_more, came_from_elsewhere = len(rows) > size, True
        rows = rows[:size]
        if backward:
            rows.reverse()
    return _page(rows, fields, has_more, came=came_from_elsewhere, backward=backward)


def capped_count(
    qs: QuerySet, cap: int = COUNT_CAP, *, branches: list[QuerySet] | None = None
) -> int:
    """The number of rows, counting no further than `cap` (shown as "cap+").

    With `branches` (path_branches: `qs` path by path), each branch counts up to the cap on
    its own index and their union (a row reached twice counts once) is counted."""
    if not branches:
        return qs.order_by()[: cap + 1].count()
    firsts = [b.order_by().values("pk")[: cap + 1] for b in branches]
    return min(firsts[0].union(*firsts[1:]).count(), cap + 1)


def union_page(
    rows: QuerySet | Callable[[], QuerySet],
    columns: tuple[str, ...],
    branches: list[QuerySet],
    *,
    cursor: str = "",
    size: int = DEFAULT_PAGE_SIZE,
    order: tuple[str, ...],
    cap: int = COUNT_CAP,
    rows_key: Hashable = None,
) -> tuple[KeysetPage, int]:
    """One page of the rows of `branches` in `order`, and their number up to `cap`
    (capped_count), in two queries: keyset_page and capped_count for a list read path by
    path.

    `branches`: the list's access paths one by one with its filters applied, each a queryset
    of the same model that is already scoped (their union is what the user may see), or
    each compiled beforehand (compile_branches); one branch reads the list as it is. No
    branch: nothing to see. `rows`: what a row reads
    (annotations; `columns` are read as named tuples, and must hold the order's columns),
    *not* scoped: the page is the rows whose primary key is among each branch's first rows
    past the cursor (a UNION of ordered, limited index scans, as keyset_page), the count
    that of the union of the same branches, each limited to the cap. Each branch is
    compiled once and its SQL serves both (on a page past a cursor, once more with the
    cursor's condition). An empty first page needs no count. (The count as a scalar
    subquery of the page query cost no less to plan and run, and under load its one longer
    statement ran several times slower at the median than the two.)

    `rows_key`: when given, `rows` (then best a callable that builds it) is the same
    queryset for every call with that key, and the page query around the branches is
    compiled once per key, order and size (_PageSQL), not on every call.
    """
    if not branches:
        return KeysetPage(rows=[], next_cursor=None, prev_cursor=None), 0
    model = branches[0].model
    fields = _fields(model, order)
    decoded = decode_cursor(model, order, cursor)
    backward = decoded is not None and decoded[0] == "p"
    seek = tuple(o[1:] if o.startswith("-") else f"-{o}" for o in order) if backward else order
    compiled = isinstance(branches[0], BranchSQL)
    plain = [b.sql() if compiled else _branch_sql(b) for b in branches]
    if decoded is None:
        past = plain
    elif compiled:
        condition = _where_sql(model, _beyond(fields, decoded[1], forward=not backward))
        past = [b.sql(condition) for b in branches]
    else:
        beyond = _beyond(fields, decoded[1], forward=not backward)
        past = [_branch_sql(b.filter(beyond)) for b in branches]
    ids = _union(past, _order_sql(model, seek), size + 1)
    count_sql, count_params = _union(plain, "", cap + 1)
    # Compiled querysets and integers only; every value is a parameter.
    count = (f"SELECT COUNT(*) FROM ({count_sql}) counted", count_params)  # noqa: S608
    key = (rows_key, columns, seek, size, connection.alias)
    page_sql = _page_sqls.get(key) if rows_key is not None else None
    if page_sql is None:
        page_sql = _PageSQL(rows() if callable(rows) else rows, columns, seek, size)
        if rows_key is not None:
            if len(_page_sqls) >= 64:
                _page_sqls.clear()
            _page_sqls[key] = page_sql
    found = page_sql.fetch(ids)
    if found or decoded is not None:
        with connection.cursor() as db:
            db.execute(*count)
            total = db.fetchone()[0]
    else:
        total = 0  # an empty first page: no branch has a row
    row = create_namedtuple_class(*columns)
    page_rows = [row(*values) for values in found[:size]]
    has_more = len(found) > size
    if backward:
        page_rows.reverse()
    return _page(page_rows, fields, has_more, came=decoded is not None, backward=backward), min(
        total, cap + 1
    )


_IDS_MARK = "SELECT NULL /* union_page ids */"
_page_sqls: dict[tuple, _PageSQL] = {}


class _PageSQL:
    """The page query of union_page compiled by the ORM with a marker where the ids go;
    each page puts its own there. It reads the rows as the ORM would (the
    fields' converters), and is a pure function of the rows' queryset, columns, order and
    size (a cache of it holds no data)."""

    def __init__(
        self, rows: QuerySet, columns: tuple[str, ...], seek: tuple[str, ...], size: int | None
    ):
        qs = (
            rows.filter(pk__in=RawSQL(_IDS_MARK, ()))  # noqa: S611
            .order_by(*seek)
            .values_list(*columns)
        )
        if size is not None:
            qs = qs[: size + 1]
        compiler = qs.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        self.parts, self.params, self.marks = [], [], []
        for piece in re.split(f"({re.escape(_IDS_MARK)})", sql):
            if piece == _IDS_MARK:
                self.marks.append(piece)
                continue
            taken = sum(1 for found in re.findall(r"%%|%s", piece) if found == "%s")
            self.parts.append(piece)
            self.params.append(tuple(params[:taken]))
            params = params[taken:]
        assert self.marks == [_IDS_MARK] and not params
        fields = [select[0] for select in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(fields).items())

    def fetch(self, ids: tuple[str, tuple], *, keyed: bool = False) -> list[tuple]:
        """The rows of the page `ids` (sql, params) chooses; `keyed` when that is a list of
        primary keys: the statement is then prepared (core.pg_prepared)."""
        given = {_IDS_MARK: ids}
        sql, params = [self.parts[0]], list(self.params[0])
        for mark, part, part_params in zip(
            self.marks, self.parts[1:], self.params[1:], strict=True
        ):
            sql += [given[mark][0], part]
            params += [*given[mark][1], *part_params]
        with connection.cursor() as db:
            db.execute(prepared("".join(sql)) if keyed else "".join(sql), params)
            found = db.fetchall()
        if not self.converters:
            return found
        converted = []
        for values in found:
            values = list(values)
            for index, (converters, expression) in self.converters:
                for convert in converters:
                    values[index] = convert(values[index], expression, connection)
            converted.append(tuple(values))
        return converted


def rows_by_pk(
    rows: Callable[[], QuerySet],
    columns: tuple[str, ...],
    pks: list[int],
    *,
    order: tuple[str, ...],
    rows_key: Hashable,
) -> list[tuple]:
    """The rows of `rows()` whose primary key is in `pks`, as named tuples of `columns`, in
    `order`: one statement, none for no `pks` (e.g. a page found by its sort keys, read with
    what it shows). `rows()` is the same queryset for every call with `rows_key`: its
    statement is compiled once per key, columns and order (as union_page's page query),
    the primary keys given as parameters."""
    if not pks:
        return []
    key = (rows_key, columns, order, None, connection.alias)
    page_sql = _page_sqls.get(key)
    if page_sql is None:
        if len(_page_sqls) >= 64:
            _page_sqls.clear()
        page_sql = _page_sqls[key] = _PageSQL(rows(), columns, order, None)
    ids = tuple(int(pk) for pk in pks)
    found = page_sql.fetch((", ".join(["%s"] * len(ids)), ids), keyed=True)
    row = create_namedtuple_class(*columns)
    return [row(*values) for values in found]


_BEYOND_MARK = "TRUE /* union_page beyond */"


@dataclass(frozen=True)
class BranchSQL:
    """A branch of union_page compiled once (compile_branches): its primary keys as SQL,
    split where a cursor's condition goes. A pure function of the branch's queryset (a
    cache of it holds no data, only the SQL and the parameters the queryset had)."""

    model: type
    head: str
    head_params: tuple
    tail: str
    tail_params: tuple

    def sql(self, condition: tuple[str, tuple] = ("TRUE", ())) -> tuple[str, tuple]:
        """The branch's SQL and parameters, with `condition` (a cursor's) in its WHERE."""
        return (
            f"{self.head}{condition[0]}{self.tail}",
            (*self.head_params, *condition[1], *self.tail_params),
        )


def compile_branches(branches: list[QuerySet]) -> list[BranchSQL]:
    """Each branch compiled for union_page, which then compiles only a cursor's condition:
    for a list whose branches are the same on many requests (kept with the user's reach).
    A branch that selects nothing by construction (a filter on an empty list: the ORM
    raises EmptyResultSet instead of writing its SQL) is left out."""
    compiled = []
    for branch in branches:
        try:
            compiled.append(_compiled(branch))
        except EmptyResultSet:
            continue
    return compiled


def _compiled(branch: QuerySet) -> BranchSQL:
    marked = branch.filter(RawSQL(_BEYOND_MARK, (), output_field=BooleanField()))  # noqa: S611
    sql, params = _branch_sql(marked)
    head, tail = sql.split(_BEYOND_MARK)  # exactly once: a constant no parameter holds
    taken = sum(1 for found in re.findall(r"%%|%s", head) if found == "%s")
    return BranchSQL(branch.model, head, params[:taken], tail, params[taken:])


def _where_sql(model, condition: Q) -> tuple[str, tuple]:
    """`condition` over the model's own columns as SQL, as a branch (_branch_sql) names
    them."""
    query = Query(model)
    sql, params = query.get_compiler(connection=connection).compile(query.build_where(condition))
    return sql, tuple(params)


def _branch_sql(branch: QuerySet) -> tuple[str, tuple]:
    """A branch's primary keys as SQL: a plain SELECT ... WHERE, to which an ORDER BY and a
    LIMIT can be added."""
    query = branch.order_by().values("pk").query
    assert not (query.is_sliced or query.combinator or query.distinct or query.group_by)
    sql, params = query.sql_with_params()
    return sql, tuple(params)


def _order_sql(model, order: tuple[str, ...]) -> str:
    """ORDER BY of the model's own columns, as a branch (_branch_sql) names them."""
    quote = connection.ops.quote_name
    return " ORDER BY " + ", ".join(
        f"{quote(model._meta.db_table)}.{quote(field.column)} {'DESC' if desc else 'ASC'}"
        for _name, desc, field in _fields(model, order)
    )


def _union(branches: list[tuple[str, tuple]], order_sql: str, limit: int) -> tuple[str, tuple]:
    """The union of the branches, each ordered and limited on its own (a database that
    cannot order and limit inside a UNION, SQLite, reads the plain union: the page query
    orders and limits it; the count limits it)."""
    params = tuple(p for _sql, branch_params in branches for p in branch_params)
    if len(branches) == 1:
        return f"{branches[0][0]}{order_sql} LIMIT {int(limit)}", params
    if connection.features.supports_slicing_ordering_in_compound:
        parts = [f"({sql}{order_sql} LIMIT {int(limit)})" for sql, _params in branches]
        return " UNION ".join(parts), params
    union = " UNION ".join(sql for sql, _params in branches)
    if order_sql:
        return union, params
    return f"SELECT * FROM ({union}) united LIMIT {int(limit)}", params  # noqa: S608


def _page(rows: list, fields, has_more: bool, *, came: bool, backward: bool) -> KeysetPage:
    """The page and its cursors: rows are model instances (keyset_page) or named tuples
    (union_page)."""
    if not rows:
        return KeysetPage(rows=[], next_cursor=None, prev_cursor=None)

    def key(row) -> list[Any]:
        out = []
        for _name, _desc, field in fields:
            name = "pk" if field.primary_key and not hasattr(row, field.attname) else field.attname
            value = getattr(row, name)
            out.append(value.isoformat() if hasattr(value, "isoformat") else value)
        return out

    has_next = came if backward else has_more
    has_prev = has_more if backward else came
    return KeysetPage(
        rows=rows,
        next_cursor=encode_cursor("n", key(rows[-1])) if has_next else None,
        prev_cursor=encode_cursor("p", key(rows[0])) if has_prev else None,
    )
