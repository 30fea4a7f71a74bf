"""A SELECT of model instances compiled by the ORM once per process and connection, run
with each request's own values.

Compiling a queryset costs more CPU than running it on a page that reads one case: the
case with five joined rows and its cadres with theirs took about 6 ms to compile and well
under 1 ms to run. A Statement is compiled from a queryset built with stand-ins: sentinel
parameter values (an int no row has) and `RawSQL` markers where a fragment of SQL goes
that differs from one request to the next (a permission filter). `rows()` puts the real
values in their places and reads the rows as the ORM's ModelIterable does: the fields'
converters, `from_db`, and the `select_related` objects through the ORM's own populators.
A statement is a pure function of the models and the queryset (a cache of it holds no
data); core.session_user does the same for the user row.

On PostgreSQL a statement also runs as a server-side prepared statement (core.pg_prepared),
planned generically after five runs: build only keyed lookups (a row by its id, the rows of
one case or authority), whose every plan is the same index lookup, never a list's page.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Hashable

from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

from core.pg_prepared import prepared

_PLACEHOLDER = re.compile(r"%%|%s")


class Statement:
    """`build()` compiled on `connection`: the SQL split at its markers, the parameters with
    the positions of the sentinels, and what it takes to make model instances of a row."""

    def __init__(self, queryset: QuerySet, connection, markers: tuple[str, ...]):
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        self.params = tuple(params)  # as compiled, sentinels included
        self.checked = False  # for a caller's own check on first use (get_case_for_user)
        if compiler.klass_info is None or compiler.annotation_col_map:
            raise ValueError("a statement reads model instances and nothing else")
        if queryset._known_related_objects or queryset._prefetch_related_lookups:
            raise ValueError("a statement neither prefetches nor knows related objects")
        self.connection = connection
        self.parts: list[str] = []
        self.part_params: list[tuple] = []
        self.marks: list[str] = []
        pattern = "(" + "|".join(re.escape(mark) for mark in markers) + ")" if markers else None
        pieces = re.split(pattern, sql) if pattern else [sql]
        params = list(params)
        for piece in pieces:
            if piece in markers:
                self.marks.append(piece)
                continue
            taken = sum(1 for found in _PLACEHOLDER.findall(piece) if found == "%s")
            self.parts.append(piece)
            self.part_params.append(tuple(params[:taken]))
            params = params[taken:]
        if params or sorted(self.marks) != sorted(markers):
            raise ValueError("a statement's markers must each appear once, outside parameters")
        self.model = compiler.klass_info["model"]
        select = compiler.select
        fields = compiler.klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.attnames = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(compiler.klass_info, select, connection.alias)
        columns = [column[0] for column in select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(columns).items())

    def rows(self, values: dict | None = None, fragments: dict | None = None) -> list[Model]:
        """The model instances, with each sentinel (an int or a str) replaced by
        `values[sentinel]` and each marker by `fragments[marker]` (sql, params)."""
        values, fragments = values or {}, fragments or {}

        def put(part_params):
            return [values.get(p, p) if type(p) in (int, str) else p for p in part_params]

        sql, params = [self.parts[0]], put(self.part_params[0])
        for mark, part, part_params in zip(
            self.marks, self.parts[1:], self.part_params[1:], strict=True
        ):
            fragment_sql, fragment_params = fragments[mark]
            sql += [fragment_sql, part]
            params += [*fragment_params, *put(part_params)]
        return self._read("".join(sql), params)

    def rows_with(self, params) -> list[Model]:
        """The model instances of the statement (without markers) run with `params`, all
        of them: those of another queryset whose SQL is this one's (see get_case_for_user)."""
        if self.marks or len(params) != len(self.params):
            raise ValueError("rows_with takes every parameter of a statement without markers")
        return self._read(self.parts[0], params)

    def _read(self, sql: str, params) -> list[Model]:
        connection = self.connection
        with connection.cursor() as cursor:
            cursor.execute(prepared(sql), params)
            found = cursor.fetchall()
        db, model, start, end, attnames = (
            connection.alias,
            self.model,
            self.start,
            self.end,
            self.attnames,
        )
        result = []
        for row in found:
            if self.converters:  # as SQLCompiler.apply_converters
                row = list(row)
                for position, (functions, expression) in self.converters:
                    value = row[position]
                    for converter in functions:
                        value = converter(value, expression, connection)
                    row[position] = value
            obj = model.from_db(db, attnames, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            result.append(obj)
        return result


_statements: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


KEPT_PER_CONNECTION = 1000  # statements; past that the connection's are compiled anew


def statement(
    model: type[Model],
    build: Callable[..., QuerySet],
    *markers: str,
    key: Hashable = None,
    args: tuple = (),
) -> Statement:
    """The Statement of the queryset `build(*args)` (of `model`) on the model's database
    connection, compiled on first use and kept for the connection (its converters are bound
    to it). `build` and `key` are the cache key: pass a module-level function, and as `key`
    whatever else the SQL depends on (a content type's id; the SQL of a permission filter,
    whose parameters `args` bring along)."""
    connection = connections[router.db_for_read(model)]
    kept = _statements.setdefault(connection, {})
    found = kept.get((build, key))
    if found is None:
        if len(kept) >= KEPT_PER_CONNECTION:
            kept.clear()
        found = kept[(build, key)] = Statement(build(*args), connection, markers)
    return found


def forget_statements(**kwargs) -> None:
    for connection in list(_statements.keys()):
        _statements.pop(connection, None)


setting_changed.connect(forget_statements, dispatch_uid="core-statements")
