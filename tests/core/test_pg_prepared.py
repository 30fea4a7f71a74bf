"""core.pg_prepared: repeated SELECTs run as server-side prepared statements."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import pg_prepared
from core.models import User
from core.pg_prepared import PreparingConnection, _numbered, database_options
from tests.factories import make_user


def test_placeholders_are_numbered_and_percent_signs_unescaped():
    sql = "SELECT a FROM t WHERE b = %s AND c LIKE 'x%%' AND d = ANY(%s) LIMIT %s"
    assert (
        _numbered(sql, 3) == "SELECT a FROM t WHERE b = $1 AND c LIKE 'x%' AND d = ANY($2) LIMIT $3"
    )


def test_a_statement_whose_placeholders_do_not_match_its_values_is_not_numbered():
    assert _numbered("SELECT %s, %s", 1) is None
    assert _numbered("SELECT 1", 0) == "SELECT 1"


def test_the_options_name_the_connection_and_cursor_classes_only_when_on():
    assert database_options(False) == {}
    assert database_options(True) == {
        "connection_factory": PreparingConnection,
        "cursor_factory": pg_prepared.PreparingCursor,
    }


def _server_statements() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements", None)
        return dict(cursor.fetchall())


def _raw():
    connection.ensure_connection()
    return connection.connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_select_is_prepared_on_its_second_run_and_answers_the_same():
    alice, bob = make_user("alice"), make_user("bob")
    raw = _raw()
    assert isinstance(raw, PreparingConnection)
    raw.forget_prepared()

    def names():
        return list(User.objects.filter(pk__in=[alice.pk, bob.pk]).order_by("username"))

    first = names()
    assert raw.prepared == {}
    second = names()
    assert len(raw.prepared) == 1
    ((sql, name),) = raw.prepared.items()
    assert sql.startswith('SELECT "core_user"."id"')
    assert _server_statements()[name].startswith(f'PREPARE {name} AS SELECT "core_user"."id"')
    assert "= ANY($1)" in _server_statements()[name] or "IN ($1, $2)" in _server_statements()[name]
    third = names()
    assert [u.username for u in first] == [u.username for u in second] == ["alice", "bob"]
    assert [(u.pk, u.username) for u in third] == [(alice.pk, "alice"), (bob.pk, "bob")]


@pytest.mark.postgres
@pytest.mark.django_db
def test_captured_queries_show_the_sql_asked_for_with_its_values():
    user = make_user("carol")
    _raw().forget_prepared()
    User.objects.filter(pk=user.pk).first()
    with CaptureQueriesContext(connection) as captured:
        User.objects.filter(pk=user.pk).first()
    assert _raw().prepared  # it ran as EXECUTE
    (query,) = captured.captured_queries
    assert query["sql"].startswith('SELECT "core_user"."id"')
    assert f'WHERE "core_user"."id" = {user.pk}' in query["sql"]
    assert "EXECUTE" not in query["sql"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_statement_postgresql_cannot_prepare_runs_as_before_and_the_transaction_goes_on():
    raw = _raw()
    raw.forget_prepared()
    sql = "SELECT %s IS NULL"  # the parameter's type cannot be inferred
    with transaction.atomic():
        with connection.cursor() as cursor:
            for _ in range(3):
                cursor.execute(sql, [None])
                assert cursor.fetchone() == (True,)
        assert raw.seen[sql] is False  # never tried again
        assert raw.prepared == {}
        assert User.objects.count() == 0  # the transaction is not aborted


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_refused_statement_is_not_retried():
    raw = _raw()
    raw.forget_prepared()
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute("SELECT %s IS NULL", [1])
            assert cursor.fetchone() == (False,)
        cursor.execute("SELECT %s::int + 1", [41])
        cursor.execute("SELECT %s::int + 1", [1])
        assert cursor.fetchone() == (2,)
    assert list(raw.prepared) == ["SELECT %s::int + 1"]
    assert raw.seen["SELECT %s IS NULL"] is False


@pytest.mark.postgres
@pytest.mark.django_db
def test_writes_are_never_prepared():
    user = make_user("dave")
    raw = _raw()
    raw.forget_prepared()
    for name in ("D1", "D2", "D3"):
        User.objects.filter(pk=user.pk).update(full_name=name)
    assert raw.prepared == {}
    assert User.objects.get(pk=user.pk).full_name == "D3"


@pytest.mark.postgres
@pytest.mark.django_db
def test_ddl_forgets_every_prepared_statement():
    raw = _raw()
    raw.forget_prepared()
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::int", [1])
        cursor.execute("SELECT %s::int", [2])
        assert len(raw.prepared) == 1
        cursor.execute("CREATE TEMPORARY TABLE t_prepared (a int)", None)
    assert raw.prepared == {}
    assert raw.seen == {}
    assert _server_statements() == {}


@pytest.mark.postgres
@pytest.mark.django_db
def test_past_the_limit_the_least_recently_used_statement_is_deallocated(monkeypatch):
    monkeypatch.setattr(pg_prepared, "KEPT", 2)
    raw = _raw()
    raw.forget_prepared()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL", None)
        for sql in ("SELECT %s::int AS a", "SELECT %s::int AS b", "SELECT %s::int AS a"):
            cursor.execute(sql, [1])
            cursor.execute(sql, [2])
        cursor.execute("SELECT %s::int AS c", [3])
        cursor.execute("SELECT %s::int AS c", [4])
        assert cursor.fetchone() == (4,)
    assert list(raw.prepared) == ["SELECT %s::int AS a", "SELECT %s::int AS c"]
    assert sorted(_server_statements()) == sorted(raw.prepared.values())
