"""The audit log is append-only: model, queryset, admin and (on PostgreSQL) the database."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as global_apps
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from core import audit
from core.models import AuditEvent, User

migration = importlib.import_module("core.migrations.0002_audit_append_only")


@pytest.fixture
def event(world, personas):
    return audit.record(
        "cadre.test",
        actor=personas.clerk_a,
        obj=world.cadre_a1,
        before={"position": "科员"},
        after={"position": "镇长"},
        reason="测试",
    )


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "pw-Root-123")


def stored(event):
    return (
        AuditEvent.objects.filter(pk=event.pk)
        .values("action", "actor", "object_id", "object_repr", "before", "after", "reason")
        .get()
    )


EXPECTED = {
    "action": "cadre.test",
    "object_repr": "张三",
    "before": {"position": "科员"},
    "after": {"position": "镇长"},
    "reason": "测试",
}


@pytest.mark.django_db
def test_record_stores_who_what_and_why(event, world, personas):
    assert stored(event) == {
        **EXPECTED,
        "actor": personas.clerk_a.pk,
        "object_id": str(world.cadre_a1.pk),
    }
    assert event.actor_repr == "clerk_a"
    assert event.content_type.model_class() is type(world.cadre_a1)
    assert event.ip is None  # outside a request


@pytest.mark.django_db
def test_record_without_actor_is_system():
    event = audit.record("demo.seed", actor=None, after={"cadres": 3})
    assert (event.actor, event.actor_repr, event.object_id, event.content_type) == (
        None,
        "system",
        "",
        None,
    )


@pytest.mark.django_db
def test_record_many_stores_one_authority_per_entry(world, personas):
    entries = [(world.cadre_a1, None, {"n": 1}), (world.cadre_b1, None, {"n": 2})]
    audit.record_many(
        "cadre.test",
        actor=personas.admin,
        entries=entries,
        authority_ids=[world.county_a_org.pk, None],
    )
    audit.record_many("cadre.other", actor=personas.admin, entries=entries[:1])
    assert list(
        AuditEvent.objects.order_by("id").values_list("action", "object_repr", "authority_id")
    ) == [
        ("cadre.test", "张三", world.county_a_org.pk),
        ("cadre.test", "李四", None),
        ("cadre.other", "张三", None),
    ]
    with pytest.raises(ValueError):
        audit.record_many("cadre.test", actor=None, entries=entries, authority_ids=[None])
    assert AuditEvent.objects.count() == 3


def test_diff_keeps_only_changed_keys():
    assert audit.diff({"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 5, "c": 3}) == ({"b": 2}, {"b": 5})
    assert audit.diff({"a": 1}, {"a": 1}) == ({}, {})


@pytest.mark.django_db
def test_saving_existing_row_is_refused(event):
    event.reason = "篡改"
    with pytest.raises(PermissionDenied):
        event.save()
    assert stored(event)["reason"] == "测试"


@pytest.mark.django_db
def test_deleting_row_is_refused(event):
    with pytest.raises(PermissionDenied):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(reason="篡改")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    assert stored(event)["reason"] == "测试"


@pytest.mark.django_db
def test_admin_is_read_only(event, superuser):
    model_admin = site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert model_admin.has_view_permission(request, event) is True
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request, event) is False
    assert model_admin.has_delete_permission(request, event) is False


@pytest.mark.django_db
def test_admin_pages_refuse_edits(event, superuser, client):
    client.force_login(superuser)
    url = f"/admin/core/auditevent/{event.pk}/"
    assert client.get(f"{url}change/").status_code == 200
    assert client.post(f"{url}change/", {"reason": "篡改"}).status_code == 403
    assert client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    assert stored(event)["reason"] == "测试"


def raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def trigger_installed() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = %s", ["core_auditevent_no_update"]
        )
        return cursor.fetchone()[0] == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_raw_sql_update_and_delete_refused_by_trigger(on_postgres, event):
    assert trigger_installed()
    with pytest.raises(DatabaseError, match=r"append-only \(UPDATE refused\)"):
        raw("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["篡改", event.pk])
    with pytest.raises(DatabaseError, match=r"append-only \(DELETE refused\)"):
        raw("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert stored(event)["reason"] == "测试"
    raw(
        "INSERT INTO core_auditevent (at, actor_repr, action, object_id, object_repr, reason)"
        " VALUES (now(), 'sql', 'raw.insert', '', '', '')",
        [],
    )
    assert AuditEvent.objects.filter(action="raw.insert").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_trigger_migration_reverses_and_applies_cleanly(on_postgres, event):
    with connection.schema_editor() as editor:
        migration.backwards(global_apps, editor)
    assert not trigger_installed()
    raw("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["无触发器", event.pk])
    assert stored(event)["reason"] == "无触发器"

    with connection.schema_editor() as editor:
        migration.forwards(global_apps, editor)
    assert trigger_installed()
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["篡改", event.pk])
    with connection.schema_editor() as editor:  # applying twice does not fail either
        migration.backwards(global_apps, editor)
        migration.forwards(global_apps, editor)
    assert trigger_installed()


class RecordingEditor:
    """Stands in for a schema editor: records SQL instead of running it."""

    def __init__(self, vendor):
        self.connection = type("Connection", (), {"vendor": vendor})()
        self.executed = []

    def execute(self, sql, params=()):
        self.executed.append(sql)


def test_trigger_migration_runs_only_on_postgresql():
    for vendor in ("sqlite", "mysql"):
        editor = RecordingEditor(vendor)
        migration.forwards(global_apps, editor)
        migration.backwards(global_apps, editor)
        assert editor.executed == []
    editor = RecordingEditor("postgresql")
    migration.forwards(global_apps, editor)
    migration.backwards(global_apps, editor)
    assert editor.executed == [migration.PG_UP, migration.PG_DOWN]
