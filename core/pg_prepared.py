"""Server-side prepared statements on PostgreSQL (psycopg2), for the statements marked so.

psycopg2 sends every statement as text, so PostgreSQL parses and plans it on every call. On
the case page planning cost more than running: its statements took about 3.5 ms to plan
and 0.5 ms to run (pg_stat_statements on the 1,000,000-cadre bench). A statement whose SQL
ends with `MARK` (`prepared(sql)`) is prepared on its connection the first time it runs
(`PREPARE dj_n AS ...`, placeholders numbered) and from then on runs as
`EXECUTE dj_n (values)`: PostgreSQL plans its first five executions with their values,
then keeps a generic plan if that is no worse (the default `plan_cache_mode`).

Only statements whose every plan is the same index lookup are marked: one row or a few by
key (the user row, a case and its records by the case's id, rows by primary key), compiled
once per process (core.statements). A list page's statements are not: a generic plan knows
neither the authority nor the keyset position, and `bench/load/explain.py` measures their
generic plans at 30-700 ms against 1-3 ms planned with their values.

The cursor
- keeps at most `KEPT` statements per connection, deallocating the least recently used;
- never prepares again a statement that failed to prepare (its parameters' types cannot be
  inferred, say): inside a transaction the attempt runs under a savepoint, so a failure
  changes nothing, and the statement then runs as it is;
- runs as text a statement with an integer past PostgreSQL's `integer` range (an id from a
  URL, say): a prepared parameter takes its column's type and would fail where the text
  finds no row;
- forgets everything after DDL (ALTER, CREATE, DROP) on the connection, since a changed
  table may change a prepared statement's columns;
- answers `cursor.query` with the SQL asked for, values in place, so that
  `connection.queries`, CaptureQueriesContext and the debug tools read what they always did.

DB_PREPARED_STATEMENTS=false turns it off (behind a pooler in transaction mode, PgBouncer,
a session's prepared statements are not the next transaction's); the mark is then a comment.
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict

import psycopg2
from psycopg2 import extensions

MARK = " /* prepared */"  # at the end: the statement still starts with SELECT
KEPT = 256  # prepared statements per connection
REFUSED = 256  # statements remembered per connection as refused

_PLACEHOLDER = re.compile(r"%%|%s")
_DDL = ("ALTER", "CREAT", "DROP ")
_INT4_MIN, _INT4_MAX = -(2**31), 2**31 - 1


def prepared(sql: str) -> str:
    """`sql` marked to run as a prepared statement (a comment where nothing prepares)."""
    return sql + MARK


def numbered(sql: str, count: int) -> str | None:
    """`sql` with its %s placeholders numbered $1.. and %% unescaped; None unless exactly
    `count` placeholders are found."""
    numbers = itertools.count(1)
    found = 0

    def replace(match: re.Match) -> str:
        nonlocal found
        if match.group() == "%%":
            return "%"
        found += 1
        return f"${next(numbers)}"

    result = _PLACEHOLDER.sub(replace, sql)
    return result if found == count else None


class PreparingConnection(extensions.connection):
    """A psycopg2 connection that remembers what its cursors prepared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared: OrderedDict[str, str] = OrderedDict()  # SQL -> statement name
        self.refused: set[str] = set()  # SQL that failed to prepare
        self.names = itertools.count(1)

    def forget_prepared(self) -> None:
        self.prepared.clear()
        self.refused.clear()


class PreparingCursor(extensions.cursor):
    """Runs the statements marked by `prepared` as prepared statements (see the module)."""

    _asked = None  # (sql, params) of the last statement run through EXECUTE

    @property
    def query(self):
        if self._asked is not None:
            return self.mogrify(*self._asked)
        return extensions.cursor.query.__get__(self)

    def execute(self, sql, params=None):
        self._asked = None
        if params is None or type(sql) is not str or not sql.endswith(MARK) or self.name:
            result = super().execute(sql, params)
            if type(sql) is str and sql.lstrip()[:5].upper() in _DDL:
                self._deallocate_all()
            return result
        for value in params:
            if type(value) is int and not _INT4_MIN <= value <= _INT4_MAX:
                # A prepared statement's parameter has the type of its column: an id past
                # that type's range (from a URL, say) fails there, where the text finds no
                # row. Such a value runs as text.
                return super().execute(sql, params)
        connection = self.connection
        name = connection.prepared.get(sql)
        if name is None:
            name = self._prepared_name(connection, sql, params)
            if name is None:
                return super().execute(sql, params)
        else:
            connection.prepared.move_to_end(sql)
        self._asked = (sql, params)
        if params:
            marks = ", ".join(["%s"] * len(params))
            return super().execute(f"EXECUTE {name} ({marks})", params)
        return super().execute(f"EXECUTE {name}")

    def _prepared_name(self, connection: PreparingConnection, sql: str, params) -> str | None:
        """The name `sql` is now prepared under; None to run it as it is."""
        if sql in connection.refused or not isinstance(params, list | tuple):
            return None
        text = numbered(sql, len(params))
        name = f"dj_{next(connection.names)}"
        if text is None or not self._prepare(connection, name, text):
            if len(connection.refused) >= REFUSED:
                connection.refused.clear()
            connection.refused.add(sql)
            return None
        if len(connection.prepared) >= KEPT:
            _oldest, evicted = connection.prepared.popitem(last=False)
            super().execute(f"DEALLOCATE {evicted}")
        connection.prepared[sql] = name
        return name

    def _prepare(self, connection: PreparingConnection, name: str, numbered: str) -> bool:
        """PREPARE `name`; False if PostgreSQL refuses it (nothing else changes)."""
        status = connection.info.transaction_status
        if status == extensions.TRANSACTION_STATUS_INERROR:
            return False  # the statement itself will report the failed transaction
        statement = f"PREPARE {name} AS {numbered}"
        if connection.autocommit and status == extensions.TRANSACTION_STATUS_IDLE:
            try:
                super().execute(statement)
            except psycopg2.Error:
                return False
            return True
        super().execute("SAVEPOINT dj_prepare")
        try:
            super().execute(statement)
        except psycopg2.Error:
            super().execute("ROLLBACK TO SAVEPOINT dj_prepare")
            super().execute("RELEASE SAVEPOINT dj_prepare")
            return False
        super().execute("RELEASE SAVEPOINT dj_prepare")
        return True

    def _deallocate_all(self) -> None:
        connection = self.connection
        if connection.prepared:
            if connection.info.transaction_status != extensions.TRANSACTION_STATUS_INERROR:
                super().execute("DEALLOCATE ALL")
        connection.forget_prepared()


def database_options(enabled: bool) -> dict:
    """OPTIONS for a PostgreSQL entry of DATABASES: prepared statements when `enabled`."""
    if not enabled:
        return {}
    return {"connection_factory": PreparingConnection, "cursor_factory": PreparingCursor}
