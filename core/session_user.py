"""The logged-in user of a request, read with one prepared statement.

Every page asks for its user: django.contrib.auth.get_user reads the session, loads the
user row through ModelBackend.get_user (an ORM query built afresh on every request, about
0.5 ms of CPU) and checks the session's password hash. `get_user` here does the same,
step for step, for sessions logged in through ModelBackend, and reads the row with a
SELECT compiled once per process (about 0.15 ms): the same columns, converters and model
instance as the ORM's. The row is read on every request (never cached), so a changed
password, a deactivated or deleted user takes effect on the next request as before.
Sessions of any other backend go through Django's own get_user.
"""

from __future__ import annotations

import weakref

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.db import connections, router
from django.utils.crypto import constant_time_compare

from core.pg_prepared import prepared

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
_SENTINEL = -7_364_219_053  # a pk no row has, to find the statement's parameter

_backend = ModelBackend()
_statements: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _statement(db: str, connection) -> tuple:
    """(sql, params, the pk's index in them, converters, attnames) for `db`, kept per
    connection (the converters are bound to the connection's operations)."""
    found = _statements.get(connection)
    if found is None:
        model = auth.get_user_model()
        query = model._default_manager.filter(pk=_SENTINEL).query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        at = [i for i, p in enumerate(params) if p == _SENTINEL]
        if len(at) != 1:
            raise RuntimeError("the user statement has no single pk parameter")
        columns = [col for col, _klass, _alias in compiler.select]
        if compiler.klass_info is None or compiler.annotation_col_map:
            raise RuntimeError("the user statement reads more than the model's columns")
        converters = compiler.get_converters(columns)
        attnames = [col.target.attname for col in columns]
        found = (prepared(sql), tuple(params), at[0], tuple(converters.items()), attnames)
        _statements[connection] = found
    return found


def load_user(pk):
    """The user row `pk` as a model instance (what `objects.get(pk=pk)` gives), or None."""
    model = auth.get_user_model()
    db = router.db_for_read(model)
    connection = connections[db]
    sql, params, at, converters, attnames = _statement(db, connection)
    params = (*params[:at], pk, *params[at + 1 :])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:  # as SQLCompiler.apply_converters
        row = list(row)
        for pos, (functions, expression) in converters:
            value = row[pos]
            for converter in functions:
                value = converter(value, expression, connection)
            row[pos] = value
    return model.from_db(db, attnames, row)


def _verified(request, user):
    """django.contrib.auth.get_user's check of the session's password hash."""
    session = request.session
    session_hash = session.get(HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[HASH_SESSION_KEY] = session_auth_hash
        return user
    session.flush()
    return None


def session_user(request):
    """django.contrib.auth.get_user(request), with the row read by load_user."""
    session = request.session
    if session.get(BACKEND_SESSION_KEY) != MODEL_BACKEND or (
        MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS
    ):
        return auth.get_user(request)
    try:
        user_id = auth._get_user_session_key(request)
    except KeyError:
        return AnonymousUser()
    user = load_user(user_id)
    if user is None or not _backend.user_can_authenticate(user):
        return AnonymousUser()  # as ModelBackend.get_user answers None: no check, no flush
    return _verified(request, user) or AnonymousUser()


def get_user(request):
    """Once per request, like django.contrib.auth.middleware.get_user."""
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)
    return request._cached_user


def forget_statements(**kwargs) -> None:
    for connection in list(_statements.keys()):
        _statements.pop(connection, None)


setting_changed.connect(forget_statements, dispatch_uid="core-session-user-statements")
