"""core.pg_prepared: statements marked `prepared` run as server-side prepared statements."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import pg_prepared
from core.models import User
from core.pg_prepared import PreparingConnection, PreparingCursor, database_options, numbered
from core.session_user import load_user
from tests.factories import make_user


def test_placeholders_are_numbered_and_percent_signs_unescaped():
    sql = "SELECT a FROM t WHERE b = %s AND c LIKE 'x%%' AND d = ANY(%s) LIMIT %s"
    assert numbered(sql, 3) == (
        "SELECT a FROM t WHERE b = $1 AND c LIKE 'x%' AND d = ANY($2) LIMIT $3"
    )


def test_a_statement_whose_placeholders_do_not_match_its_values_is_not_numbered():
    assert numbered("SELECT %s, %s", 1) is None
    assert numbered("SELECT 1", 0) == "SELECT 1"


def test_the_mark_is_a_trailing_comment():
    assert pg_prepared.prepared("SELECT 1") == "SELECT 1 /* prepared */"


def test_the_options_name_the_connection_and_cursor_classes_only_when_on():
    assert database_options(False) == {}
    assert database_options(True) == {
        "connection_factory": PreparingConnection,
        "cursor_factory": PreparingCursor,
    }


def _server_statements() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements", None)
        return dict(cursor.fetchall())


def _raw() -> PreparingConnection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, PreparingConnection)
    return raw


def _fresh() -> PreparingConnection:
    raw = _raw()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL", None)
    raw.forget_prepared()
    return raw


SQL = pg_prepared.prepared("SELECT %s::int + %s")


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_marked_statement_is_prepared_when_first_run_and_then_executed():
    raw = _fresh()
    with connection.cursor() as cursor:
        cursor.execute(SQL, [40, 2])
        assert cursor.fetchone() == (42,)
        cursor.execute(SQL, [1, 2])
        assert cursor.fetchone() == (3,)
    ((sql, name),) = raw.prepared.items()
    assert sql == SQL
    assert _server_statements() == {name: f"PREPARE {name} AS SELECT $1::int + $2 /* prepared */"}


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_unmarked_statement_is_never_prepared():
    user = make_user("erin")
    raw = _fresh()
    for _ in range(3):
        assert User.objects.filter(pk=user.pk).get().username == "erin"
    assert raw.prepared == {}
    assert _server_statements() == {}


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_user_row_of_every_request_is_a_prepared_statement():
    alice = make_user("alice")
    raw = _fresh()
    assert load_user(alice.pk).username == "alice"
    assert load_user(alice.pk + 1000) is None
    assert load_user(alice.pk).pk == alice.pk
    ((sql, name),) = raw.prepared.items()
    assert sql.startswith('SELECT "core_user"."id"')
    assert list(_server_statements()) == [name]


@pytest.mark.postgres
@pytest.mark.django_db
def test_captured_queries_show_the_sql_asked_for_with_its_values():
    user = make_user("carol")
    _fresh()
    load_user(user.pk)
    with CaptureQueriesContext(connection) as captured:
        load_user(user.pk)
    (query,) = captured.captured_queries
    assert query["sql"].startswith('SELECT "core_user"."id"')
    assert query["sql"].endswith(f'WHERE "core_user"."id" = {user.pk} /* prepared */')


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_statement_postgresql_cannot_prepare_runs_as_before_and_the_transaction_goes_on():
    raw = _fresh()
    sql = pg_prepared.prepared("SELECT %s IS NULL")  # the parameter's type cannot be inferred
    with transaction.atomic():
        with connection.cursor() as cursor:
            for _ in range(3):
                cursor.execute(sql, [None])
                assert cursor.fetchone() == (True,)
        assert raw.refused == {sql}
        assert raw.prepared == {}
        assert User.objects.count() == 0  # the transaction is not aborted


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_refused_statement_runs_as_it_is():
    raw = _fresh()
    refused = pg_prepared.prepared("SELECT %s IS NULL")
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(refused, [1])
            assert cursor.fetchone() == (False,)
        cursor.execute(SQL, [41, 1])
        assert cursor.fetchone() == (42,)
    assert list(raw.prepared) == [SQL]
    assert raw.refused == {refused}


@pytest.mark.postgres
@pytest.mark.django_db
def test_ddl_forgets_every_prepared_statement():
    raw = _fresh()
    with connection.cursor() as cursor:
        cursor.execute(SQL, [1, 1])
        assert len(raw.prepared) == 1
        cursor.execute("CREATE TEMPORARY TABLE t_prepared (a int)", None)
    assert raw.prepared == {}
    assert _server_statements() == {}


@pytest.mark.postgres
@pytest.mark.django_db
def test_past_the_limit_the_least_recently_used_statement_is_deallocated(monkeypatch):
    monkeypatch.setattr(pg_prepared, "KEPT", 2)
    raw = _fresh()
    a, b, c = (pg_prepared.prepared(f"SELECT %s::int AS {name}") for name in "abc")
    with connection.cursor() as cursor:
        for sql in (a, b, a, c):
            cursor.execute(sql, [1])
        cursor.execute(c, [4])
        assert cursor.fetchone() == (4,)
    assert list(raw.prepared) == [a, c]
    assert sorted(_server_statements()) == sorted(raw.prepared.values())


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_id_past_the_column_types_range_finds_no_row_as_before():
    user = make_user("frank")
    raw = _fresh()
    assert load_user(user.pk).username == "frank"
    assert load_user(351012629719339681972224) is None  # past bigint: runs as text
    assert load_user(2**31) is None  # past integer
    assert User.objects.count() == 1  # the transaction goes on
    assert len(raw.prepared) == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_applications_connections_never_jit_compile():
    """A statement past jit_above_cost was compiled for 3.7 s (the register filtered by
    conclusion at 1,000,000 cadres): every connection turns JIT off."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit", None)
        assert cursor.fetchone() == ("off",)
    assert "-c jit=off" in connection.settings_dict["OPTIONS"]["options"]
