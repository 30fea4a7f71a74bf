"""Every endpoint that takes an upload refuses hostile files with a Chinese message and
writes nothing: empty files, files over the limit, xlsx zip bombs, archives with
path-traversal names, and (LRMX) XXE and billion laughs.

The endpoints are discovered from the URL conf (every view whose code reads request.FILES);
`test_every_upload_endpoint_has_a_case` fails when a new one has no case here.
"""

from __future__ import annotations

import inspect
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.enums import Role
from tests.factories import make_user
from tests.tolerance.conftest import flow, staff  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

WRITTEN_APPS = ("cadres", "assessments", "tolerance", "promotions", "clarifications", "register")
CJK = re.compile(r"[\u4e00-\u9fff]")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- discovery ---------------------------------------------------------------------------


def _patterns(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def admin_upload_endpoints() -> set[str]:
    """The admin's add and change views of every writable model that has a file field."""
    from django.contrib import admin
    from django.db import models
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = make_user("files_admin", Role.ADMIN)
    request.user.is_superuser = request.user.is_staff = True
    found = set()
    for model, model_admin in admin.site._registry.items():
        if not any(isinstance(f, models.FileField) for f in model._meta.get_fields()):
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if model_admin.has_add_permission(request):
            found.add(f"{prefix}_add")
        if model_admin.has_change_permission(request):
            found.add(f"{prefix}_change")
    return found


def upload_endpoints() -> set[str]:
    found = admin_upload_endpoints()
    for name, callback in _patterns(get_resolver()):
        if name.startswith("admin:"):
            continue  # the admin's generic views: admin_upload_endpoints
        view = inspect.unwrap(callback)
        view = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if "request.FILES" in source:
            found |= _per_action(name, source)
    return found


FORM_WITH_FILES = re.compile(r"\(\s*data,\s*files\b")


def _per_action(name: str, source: str) -> set[str]:
    """A view that dispatches to one of several action forms (the case page's actions) is one
    entry point per action whose form is given the uploaded files."""
    if "SPECS" not in source:
        return {name}
    from tolerance.views.actions import SPECS

    return {
        f"{name}:{spec.name}"
        for spec in SPECS.values()
        if FORM_WITH_FILES.search(inspect.getsource(spec.form))
    }


# --- hostile files -----------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """An .xlsx-shaped archive whose sheet expands from ~50 KB to 50 MB."""
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<worksheet>" + b" " * (50 * 2**20),
        }
    )


def traversal_zip() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "../../../../tmp/evil.xml": b"<x/>"})


XXE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE Person [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b"<Person><XingMing>&xxe;</XingMing></Person>"
)
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>\n<Person><XingMing>&lol9;</XingMing></Person>"
)

PAYLOADS: dict[str, Callable[[str], SimpleUploadedFile]] = {
    "empty": lambda ext: SimpleUploadedFile(f"empty.{ext}", b""),
    "over_limit": lambda ext: SimpleUploadedFile(f"big.{ext}", b"PK\x03\x04" + b"0" * 4096),
    "zip_bomb": lambda ext: SimpleUploadedFile(f"bomb.{ext}", zip_bomb()),
    "path_traversal": lambda ext: SimpleUploadedFile(f"../../../etc/x.{ext}", traversal_zip()),
    "xxe": lambda ext: SimpleUploadedFile("xxe.lrmx", XXE),
    "billion_laughs": lambda ext: SimpleUploadedFile("laughs.lrmx", LAUGHS),
}
ARCHIVE_PAYLOADS = ("empty", "over_limit", "zip_bomb", "path_traversal")


# --- the endpoints -----------------------------------------------------------------------


@dataclass
class Endpoint:
    payloads: tuple[str, ...]
    ext: str
    # (client, fixtures, file) → response; the message is found by `errors`.
    post: Callable
    errors: Callable
    prepare: Callable = lambda fx: None  # state the upload needs, made before counting


def _form_errors(response) -> str:
    return " ".join(str(e) for e in response.context["form"].errors.values())


def _lrmx_errors(response) -> str:
    report = response.context.get("report")
    problems = [str(p) for f in report.files for p in f.problems] if report else []
    return " ".join([_form_errors(response), *problems])


def _attach_errors(response) -> str:
    [posted] = [a for a in response.context["actions"] if a.spec.name == "attach"]
    return " ".join(str(e) for e in posted.form.errors.values())


def _post_roster(client, fx, upload):
    client.force_login(fx["admin"])
    return client.post(reverse("cadres:roster-import"), {"file": upload})


def _post_lrmx(client, fx, upload):
    client.force_login(fx["admin"])
    world = fx["world"]
    return client.post(
        reverse("cadres:lrmx-import"),
        {
            "file": upload,
            "unit": world.township_a1.pk,
            "management_level": "county",
            "rank": 45,
            "post_type": "leadership",
        },
    )


def _post_assessments(client, fx, upload):
    client.force_login(fx["admin"])
    return client.post(reverse("assessments:import"), {"kind": "grades", "file": upload})


def _post_verify(client, fx, upload):
    return client.post(reverse("documents:verify"), {"number": "甲组容〔2026〕1号", "file": upload})


def _post_file_case(client, fx, upload):
    client.force_login(fx["staff"].cadre)
    return client.post(
        reverse("tolerance:file"),
        {
            "title": "试点项目资金拨付偏差",
            "description": "因政策界限不明确出现资金拨付偏差。",
            "occurred_on": "2025-03-10",
            "action": "拟给予诫勉",
            "action_by": "县纪委监委",
            "application_text": "经集体决策，未谋私利。",
            "files": [upload],
        },
    )


def _case_investigating(fx):
    fx["case"] = fx["flow"].investigating()


def _post_attach(client, fx, upload):
    case = fx["case"]
    client.force_login(fx["staff"].investigator)
    return client.post(
        reverse("tolerance:case_action", args=[case.pk, "attach"]),
        {"kind": "evidence", "files": [upload]},
    )


def _case_decided(fx):
    fx["case"] = fx["flow"].decided()


def _post_feed_back(client, fx, upload):
    case = fx["case"]
    client.force_login(fx["staff"].clerk)
    return client.post(
        reverse("tolerance:case_action", args=[case.pk, "feed_back"]),
        {"method": "in_person", "delivered_on": timezone.localdate().isoformat(),
         "receipt": upload},
    )


def _feed_back_errors(response) -> str:
    [posted] = [a for a in response.context["actions"] if a.spec.name == "feed_back"]
    return " ".join(str(e) for e in posted.form.errors.values())


def _staff_admin():
    user = make_user("seal_admin", Role.ADMIN)
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def _authority_form(authority, upload) -> dict:
    return {
        "name": authority.name,
        "short_name": authority.short_name,
        "kind": authority.kind,
        "root_units": [u.pk for u in authority.root_units.all()],
        "management_levels": json.dumps(authority.management_levels),
        "seal": upload,
    }


def _post_authority_change(client, fx, upload):
    client.force_login(_staff_admin())
    authority = fx["world"].county_a_org
    return client.post(
        reverse("admin:cadres_authority_change", args=[authority.pk]),
        _authority_form(authority, upload),
    )


def _post_authority_add(client, fx, upload):
    client.force_login(_staff_admin())
    authority = fx["world"].county_a_org
    data = _authority_form(authority, upload)
    data.update(name="乙县县委组织部（新）", short_name="乙新")
    return client.post(reverse("admin:cadres_authority_add"), data)


def _admin_errors(response) -> str:
    return " ".join(str(e) for e in response.context["adminform"].form.errors.values())


ENDPOINTS: dict[str, Endpoint] = {
    "cadres:roster-import": Endpoint(ARCHIVE_PAYLOADS, "xlsx", _post_roster, _form_errors),
    "cadres:lrmx-import": Endpoint(
        (*ARCHIVE_PAYLOADS, "xxe", "billion_laughs"), "zip", _post_lrmx, _lrmx_errors
    ),
    "assessments:import": Endpoint(ARCHIVE_PAYLOADS, "xlsx", _post_assessments, _form_errors),
    "tolerance:file": Endpoint(ARCHIVE_PAYLOADS, "xlsx", _post_file_case, _form_errors),
    "tolerance:case_action:attach": Endpoint(
        ARCHIVE_PAYLOADS, "xlsx", _post_attach, _attach_errors, _case_investigating
    ),
    "tolerance:case_action:feed_back": Endpoint(
        ARCHIVE_PAYLOADS, "xlsx", _post_feed_back, _feed_back_errors, _case_decided
    ),
    # The electronic seal of an authority (a PNG checked by its content, cadres.seals).
    "admin:cadres_authority_change": Endpoint(
        ARCHIVE_PAYLOADS, "png", _post_authority_change, _admin_errors
    ),
    "admin:cadres_authority_add": Endpoint(
        ARCHIVE_PAYLOADS, "png", _post_authority_add, _admin_errors
    ),
    # The verification page only hashes the file (never opens it as an archive or stores
    # it): what it must refuse is an empty or oversize file.
    "documents:verify": Endpoint(("empty", "over_limit"), "pdf", _post_verify, _form_errors),
}


def test_every_upload_endpoint_has_a_case():
    assert upload_endpoints() == set(ENDPOINTS)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in WRITTEN_APPS
        for model in apps.get_app_config(app).get_models()
    }


CASES = [(name, payload) for name, e in ENDPOINTS.items() for payload in e.payloads]


@pytest.mark.parametrize(("name", "payload"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_hostile_uploads_are_refused_and_nothing_is_written(
    name, payload, client, settings, monkeypatch, tmp_path, world, staff, flow  # noqa: F811
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    if payload == "over_limit":
        settings.UPLOAD_MAX_BYTES = settings.ATTACHMENT_MAX_BYTES = 2048
        monkeypatch.setattr("core.document_views.VERIFY_MAX_BYTES", 2048)
        monkeypatch.setattr("cadres.seals.MAX_SEAL_BYTES", 2048)
    endpoint = ENDPOINTS[name]
    fx = {"admin": make_user("upload_admin", Role.ADMIN), "world": world, "staff": staff,
          "flow": flow}
    endpoint.prepare(fx)
    before = _row_counts()
    files_before = _stored_files(tmp_path / "media")
    response = endpoint.post(client, fx, PAYLOADS[payload](endpoint.ext))
    assert response.status_code in (200, 400)
    message = endpoint.errors(response)
    assert CJK.search(message), message
    assert _row_counts() == before
    assert _stored_files(tmp_path / "media") == files_before


def _stored_files(media) -> set:
    return {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()
