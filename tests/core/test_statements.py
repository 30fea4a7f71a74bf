"""Statements compiled once (core.statements): the same model instances as the ORM's
querysets, with each request's values and SQL fragments in their places."""

from __future__ import annotations

import pytest
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.test.utils import override_settings

from core.models import User
from core.statements import Statement, statement

pytestmark = pytest.mark.django_db

PK = 2_147_483_011
MARK = "SELECT NULL /* test mark */"


def _by_pk() -> QuerySet[User]:
    return User.objects.select_related("unit", "cadre__unit").filter(pk=PK)


def _active_among() -> QuerySet[User]:
    among = RawSQL(MARK, ())  # noqa: S611 (a marker)
    return User.objects.filter(is_active=True, pk__in=among).order_by("username")


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_the_rows_are_the_orms_with_their_joined_objects(personas, django_assert_num_queries):
    for user in (personas.admin, personas.hr_a1, personas.cadre_a1):
        expected = User.objects.select_related("unit", "cadre__unit").get(pk=user.pk)
        with django_assert_num_queries(1):
            [loaded] = statement(User, _by_pk).rows({PK: user.pk})
            assert fields(loaded) == fields(expected)
            assert loaded.unit_id is None or fields(loaded.unit) == fields(expected.unit)
            if expected.cadre_id is not None:
                assert fields(loaded.cadre) == fields(expected.cadre)
                assert fields(loaded.cadre.unit) == fields(expected.cadre.unit)
        assert loaded._state.adding is False and loaded._state.db == "default"
    assert statement(User, _by_pk).rows({PK: 10**9}) == []


def test_a_marker_takes_a_fragment_of_sql_with_its_parameters(personas):
    names = [personas.cadre_a1.username, personas.admin.username]
    fragment = User.objects.filter(username__in=names).values("pk").query.sql_with_params()

    rows = statement(User, _active_among, MARK).rows({}, {MARK: fragment})

    assert [u.username for u in rows] == sorted(names)


def test_a_statement_is_compiled_once_per_build_and_key():
    first = statement(User, _by_pk)

    assert statement(User, _by_pk) is first
    assert statement(User, _by_pk, key="other") is not first
    with override_settings(LANGUAGE_CODE="en"):  # any setting: the statements are compiled anew
        assert statement(User, _by_pk) is not first


def test_a_marker_that_is_not_in_the_sql_is_refused():
    from django.db import connection

    with pytest.raises(ValueError, match="markers"):
        Statement(_by_pk(), connection, (MARK,))
