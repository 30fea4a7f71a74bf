"""Server-side prepared statements for the ORM's repeated SELECTs on PostgreSQL (psycopg2).

psycopg2 sends every statement as text, so PostgreSQL parses and plans it on every call. On
this project's pages planning costs more than running: the case page's statements took
about 3.5 ms to plan and 0.5 ms to run (pg_stat_statements on the 1,000,000-cadre bench).
A connection made with `PreparingConnection` (set in settings through `database_options`)
hands its cursors `PreparingCursor`, which:

- counts each SQL text a connection runs with parameters (as Django always does); on its
  `THRESHOLD`th run a SELECT is prepared (`PREPARE dj_n AS ...`, placeholders numbered),
  and from then on it runs as `EXECUTE dj_n (values)`. PostgreSQL plans the first five
  executions with their values, then keeps a generic plan if that is no worse (the default
  `plan_cache_mode`);
- keeps at most `KEPT` statements per connection, deallocating the least recently used;
- never prepares a statement that fails to prepare (its parameters' types cannot be
  inferred, say): inside a transaction the attempt runs under a savepoint, so a failure
  changes nothing; the statement then runs as before;
- forgets everything after DDL (ALTER, CREATE, DROP) on the connection, since a changed
  table may change a prepared statement's columns;
- answers `cursor.query` with the SQL the ORM asked for, values in place, so that
  `connection.queries`, CaptureQueriesContext and the debug tools read what they always did.

Statements that are not SELECTs, run without parameters (`params=None`), with named
parameters, or through a named (server-side) cursor run as before.

Turn it off with DB_PREPARED_STATEMENTS=false behind a pooler in transaction mode
(PgBouncer), where a session's prepared statements are not the next transaction's.
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict

import psycopg2
from psycopg2 import extensions

THRESHOLD = 2  # runs of one SQL text on one connection before it is prepared
KEPT = 256  # prepared statements per connection
SEEN = 2048  # SQL texts counted per connection before the counts start over

_PLACEHOLDER = re.compile(r"%%|%s")
_PREPARABLE = ("SELEC", "(SELE", "WITH ")  # the first five characters
_DDL = ("ALTER", "CREAT", "DROP ")
_NEVER = False  # the state of a SQL text that is never prepared


def _numbered(sql: str, count: int) -> str | None:
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

    numbered = _PLACEHOLDER.sub(replace, sql)
    return numbered if found == count else None


class PreparingConnection(extensions.connection):
    """A psycopg2 connection that remembers what its cursors prepared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared: OrderedDict[str, str] = OrderedDict()  # SQL -> statement name
        self.seen: dict[str, int | bool] = {}  # SQL -> runs so far, or _NEVER
        self.names = itertools.count(1)

    def forget_prepared(self) -> None:
        self.prepared.clear()
        self.seen.clear()


class PreparingCursor(extensions.cursor):
    """Runs a connection's repeated SELECTs as prepared statements (see the module)."""

    _asked = None  # (sql, params) of the last statement run through EXECUTE

    @property
    def query(self):
        if self._asked is not None:
            return self.mogrify(*self._asked)
        return extensions.cursor.query.__get__(self)

    def execute(self, sql, params=None):
        self._asked = None
        connection = self.connection
        if params is None or self.name is not None or type(sql) is not str:
            return self._plain(sql, params)
        name = connection.prepared.get(sql)
        if name is None:
            name = self._consider(connection, sql, params)
            if name is None:
                return self._plain(sql, params)
        else:
            connection.prepared.move_to_end(sql)
        self._asked = (sql, params)
        if params:
            marks = ", ".join(["%s"] * len(params))
            return super().execute(f"EXECUTE {name} ({marks})", params)
        return super().execute(f"EXECUTE {name}")

    def _plain(self, sql, params):
        result = super().execute(sql, params)
        if type(sql) is str and sql.lstrip()[:5].upper() in _DDL:
            self._deallocate_all()
        return result

    def _consider(self, connection: PreparingConnection, sql: str, params) -> str | None:
        """The name `sql` is prepared under, preparing it now if this is its THRESHOLD-th
        run; None to run it as it is."""
        seen = connection.seen.get(sql, 0)
        if seen is _NEVER:
            return None
        if not isinstance(params, list | tuple) or sql.lstrip()[:5].upper() not in _PREPARABLE:
            connection.seen[sql] = _NEVER
            return None
        if seen + 1 < THRESHOLD:
            if len(connection.seen) >= SEEN:
                connection.seen.clear()
            connection.seen[sql] = seen + 1
            return None
        numbered = _numbered(sql, len(params))
        name = f"dj_{next(connection.names)}"
        if numbered is None or not self._prepare(connection, name, numbered):
            connection.seen[sql] = _NEVER
            return None
        connection.seen.pop(sql, None)
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
