"""Every write through /admin/ leaves AuditEvent rows with before/after; a user's roles and
jurisdiction changes are their own audit actions."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models.fields.files import FieldFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from cadres.models import Authority, Cadre, Unit
from core.audit_display import action_label
from core.enums import Role
from core.models import AuditEvent, User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, personas):
    superuser = personas.admin
    superuser.is_staff = superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    return client


def _post_data(form, *, skip=()) -> dict:
    """What the browser would post back for the rendered admin form."""
    data = {}
    for name in form.fields:
        if name in skip:
            continue
        value = form[name].value()
        if value is not None and not isinstance(value, FieldFile):  # a browser posts no file
            data[name] = value
    return data


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_every_writable_admin_is_audited(personas):
    request = RequestFactory().get("/admin/")
    request.user = personas.admin
    personas.admin.is_superuser = personas.admin.is_staff = True
    unaudited = []
    for model, model_admin in admin.site._registry.items():
        writable = (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        if writable and not getattr(model_admin, "audits_writes", False):
            unaudited.append(model._meta.label)
    print("UNAUDITED", unaudited)
    assert unaudited == []


def test_giving_a_user_a_role_and_an_authority(admin_client, world, personas):
    clerk_group, _created = Group.objects.get_or_create(name=Role.INTAKE_CLERK)
    user = make_user("newbie")
    url = reverse("admin:core_user_change", args=[user.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("password", "groups", "authorities",
                                                "user_permissions", "last_login", "date_joined")
    }
    data.update(
        {
            "groups": [clerk_group.pk],
            "authorities": [world.county_a_org.pk],
            "date_joined_0": "2026-01-05",
            "date_joined_1": "09:00:00",
            "full_name": "新人",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [change] = _events("core.user.update")
    assert change.before == {"full_name": "newbie", "groups": [], "authorities": []}
    assert change.after == {
        "full_name": "新人",
        "groups": [clerk_group.pk],
        "authorities": [world.county_a_org.pk],
    }
    assert change.actor == personas.admin
    [roles] = _events("user.roles.change")
    assert (roles.before, roles.after) == ({"groups": []}, {"groups": [Role.INTAKE_CLERK]})
    [scope] = _events("user.jurisdiction.change")
    assert (scope.before, scope.after) == (
        {"authorities": []},
        {"authorities": [world.county_a_org.pk]},
    )
    assert scope.object_id == str(user.pk)


def test_setting_a_password_is_audited_without_the_password(admin_client):
    user = make_user("newbie")
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = admin_client.post(
        url,
        {"password1": "Xq7-long-Secret", "password2": "Xq7-long-Secret", "usable_password": "true"},
    )
    assert response.status_code == 302
    [event] = _events("core.user.password_set")
    assert event.after == {"password": "changed"}
    assert "Xq7" not in str(AuditEvent.objects.values_list("before", "after"))


def test_adding_a_root_unit_to_an_authority(admin_client, world):
    authority = world.county_a_org
    url = reverse("admin:cadres_authority_change", args=[authority.pk])
    form = admin_client.get(url).context["adminform"].form
    data = _post_data(form, skip=("root_units",))
    data["root_units"] = [world.county_a.pk, world.county_b.pk]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [event] = _events("cadres.authority.update")
    assert event.before == {"root_units": [world.county_a.pk]}
    assert event.after == {"root_units": sorted([world.county_a.pk, world.county_b.pk])}


def test_group_permissions_change(admin_client):
    group = Group.objects.create(name="临时组")
    url = reverse("admin:auth_group_change", args=[group.pk])
    response = admin_client.post(url, {"name": "临时组二"})
    assert response.status_code == 302
    [event] = _events("auth.group.update")
    assert (event.before, event.after) == ({"name": "临时组"}, {"name": "临时组二"})


def test_unit_rename_and_delete(admin_client, world):
    unit = world.bureau
    response = admin_client.post(
        reverse("admin:cadres_unit_delete", args=[world.township_b1.pk]), {"post": "yes"}
    )
    # township B1 holds a cadre: PROTECT refuses, nothing deleted, nothing audited
    assert Unit.objects.filter(pk=world.township_b1.pk).exists()
    Cadre.objects.filter(unit=world.township_b1).delete()
    response = admin_client.post(
        reverse("admin:cadres_unit_delete", args=[world.township_b1.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    [deleted] = _events("cadres.unit.delete")
    assert deleted.before["name"] == "乙区大明湖街道"
    assert deleted.before["parent"] == world.county_b.pk
    assert deleted.object_id == str(world.township_b1.pk)
    assert unit.pk


def test_cadre_change_masks_the_id_number(admin_client, world):
    cadre = world.cadre_a1
    url = reverse("admin:cadres_cadre_change", args=[cadre.pk])
    response = admin_client.get(url)
    form = response.context["adminform"].form
    data = _post_data(form)
    data["position"] = "副镇长"
    inline_data = {}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, value in management.initial.items():
            inline_data[f"{formset.formset.prefix}-{name}"] = value
    data.update(inline_data)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [event] = _events("cadres.cadre.update")
    assert event.after == {"position": "副镇长"}


def test_bulk_delete_writes_one_row_per_object(admin_client):
    groups = [Group.objects.create(name=f"组{i}") for i in range(3)]
    response = admin_client.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [g.pk for g in groups], "post": "yes"},
    )
    assert response.status_code == 302
    assert sorted(e.before["name"] for e in _events("auth.group.delete")) == ["组0", "组1", "组2"]
    assert not Group.objects.filter(pk__in=[g.pk for g in groups]).exists()


def test_the_new_actions_have_chinese_labels():
    with translation.override("zh-hans"):
        labels = [
            action_label(code)
            for code in (
                "user.roles.change",
                "user.jurisdiction.change",
                "core.user.password_set",
                "core.user.update",
                "cadres.authority.update",
                "auth.group.delete",
                "axes.accessattempt.delete",
            )
        ]
    assert labels == [
        "变更用户角色",
        "变更用户管辖范围",
        "管理员重设用户密码",
        "用户：在后台修改",
        f"{Authority._meta.verbose_name}：在后台修改",
        "组：在后台删除",
        f"{AccessAttempt._meta.verbose_name}：在后台删除",
    ]
    assert action_label("cadres.nosuchmodel.update") == ""


def test_user_admin_deleting_a_user(admin_client):
    user = make_user("leaver")
    response = admin_client.post(reverse("admin:core_user_delete", args=[user.pk]), {"post": "yes"})
    assert response.status_code == 302
    [event] = _events("core.user.delete")
    assert event.before["username"] == "leaver"
    assert not User.objects.filter(pk=user.pk).exists()
    assert Authority.objects.exists()
