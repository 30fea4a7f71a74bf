"""REST API of issued documents: the list a user may read, one document, its file."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from core.documents import document_issue
from core.models import AuditEvent, DocumentKind, IssuedDocument
from tests.tolerance.conftest import flow, staff  # noqa: F401  (fixtures)
from tolerance.enums import StartedBy

pytestmark = pytest.mark.django_db

DOCUMENTS = "/api/documents/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_login(user)
    return api


def issue(*, authority, kind, subject=None, cadre=None, on=None, key=""):
    document, _created = document_issue(
        key=key or f"test:{kind}:{getattr(subject, 'pk', 0)}:{getattr(cadre, 'pk', 0)}",
        kind=kind,
        authority=authority,
        series="容",
        title="测试文书",
        render=lambda number, on: (f"{number}.pdf", "application/pdf", b"%PDF " + number.encode()),
        subject=subject,
        cadre=cadre,
        issued_on=on or dt.date(2026, 3, 2),
    )
    return document


@pytest.fixture
def case(flow):  # noqa: F811
    return flow.submitted()


@pytest.fixture
def ruling(world, case):
    return issue(authority=case.authority, kind=DocumentKind.TOLERANCE_RULING, subject=case,
                 cadre=world.cadre_a1)


def test_api_document_list_row(api, world, staff, ruling):  # noqa: F811
    rows = as_user(api, staff.clerk).get(DOCUMENTS).json()["results"]
    assert rows == [
        {
            "id": ruling.pk,
            "number": "甲组容〔2026〕1号",
            "kind": "tolerance_ruling",
            "kind_label": "容错认定决定书",
            "title": "测试文书",
            "authority": world.county_a_org.pk,
            "authority_name": "中共甲县县委组织部",
            "year": 2026,
            "cadre": world.cadre_a1.pk,
            "cadre_name": "张三",
            "issued_on": "2026-03-02",
            "issued_at": rows[0]["issued_at"],
            "filename": "甲组容〔2026〕1号.pdf",
            "media_type": "application/pdf",
            "size": len(b"%PDF " + "甲组容〔2026〕1号".encode()),
            "sha256": ruling.sha256,
        }
    ]


def test_api_documents_follow_the_register_and_get_document_for_user(
    api, world, staff, ruling  # noqa: F811
):
    """Administrators read everything; others exactly what the register's helper lists,
    and one document exactly when core.document_access.get_document_for_user allows it."""
    from django.http import Http404

    from core.document_access import get_document_for_user, readable_documents
    from core.enums import Role
    from tests.factories import make_user

    loose = issue(authority=world.county_a_org, kind=DocumentKind.CLARIFICATION_NOTICE)
    admin = make_user("t_admin", Role.ADMIN)
    assert [r["id"] for r in as_user(api, admin).get(DOCUMENTS).json()["results"]] == [
        loose.pk,
        ruling.pk,
    ]
    for user in (staff.clerk, staff.cadre, staff.clerk_b, staff.outsider):
        listed = [r["id"] for r in as_user(api, user).get(DOCUMENTS).json()["results"]]
        assert listed == list(readable_documents(user).values_list("pk", flat=True)), user
        for document in (loose, ruling):
            try:
                get_document_for_user(user, document.pk)
                expected = 200
            except Http404:
                expected = 404
            assert api.get(f"{DOCUMENTS}{document.pk}/").status_code == expected, user
    assert [r["id"] for r in as_user(api, staff.clerk).get(DOCUMENTS).json()["results"]][-1] == (
        ruling.pk
    )


def test_api_document_detail_missing_and_forbidden_answer_alike(api, world, staff, ruling):  # noqa: F811
    as_user(api, staff.clerk)
    assert api.get(f"{DOCUMENTS}{ruling.pk}/").json()["number"] == "甲组容〔2026〕1号"
    as_user(api, staff.clerk_b)
    forbidden = api.get(f"{DOCUMENTS}{ruling.pk}/")
    missing = api.get(f"{DOCUMENTS}{10**12}/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    assert api.get(f"{DOCUMENTS}{ruling.pk}/download/").status_code == 404


def test_api_document_download_sends_the_archived_file_and_audits(api, world, staff, ruling):  # noqa: F811
    response = as_user(api, staff.cadre).get(f"{DOCUMENTS}{ruling.pk}/download/")
    assert response.status_code == 200
    assert response.content == b"%PDF " + "甲组容〔2026〕1号".encode()
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    event = AuditEvent.objects.get(action="document.download")
    assert (event.actor, event.object_id, event.authority_id) == (
        staff.cadre,
        str(ruling.pk),
        world.county_a_org.pk,
    )


def test_api_document_download_refuses_a_tampered_file(api, world, staff, ruling):  # noqa: F811
    with ruling.file.open("wb") as handle:
        handle.write(b"%PDF altered")
    response = as_user(api, staff.clerk).get(f"{DOCUMENTS}{ruling.pk}/download/")
    assert response.status_code == 500
    assert response.json()["error"] == {
        "code": "integrity_error",
        "message": "该文书的归档文件未通过完整性校验，请告知系统管理员。",
        "fields": {},
    }
    assert not AuditEvent.objects.filter(action="document.download").exists()


def test_api_document_filters(api, world, staff, case):  # noqa: F811
    notice = issue(authority=case.authority, kind=DocumentKind.ACCEPTANCE_NOTICE, subject=case,
                   on=dt.date(2025, 12, 30))
    ruling = issue(authority=case.authority, kind=DocumentKind.TOLERANCE_RULING, subject=case,
                   cadre=world.cadre_a1, on=dt.date(2026, 1, 5))
    as_user(api, staff.clerk)

    def listed(**params):
        response = api.get(DOCUMENTS, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert listed(kind="acceptance_notice") == [notice.pk]
    assert listed(year=2026) == [ruling.pk]
    assert listed(cadre=world.cadre_a1.pk) == [ruling.pk]
    assert listed(number=notice.number) == [notice.pk]
    assert listed(issued_from="2026-01-01") == [ruling.pk]
    assert listed(issued_to="2025-12-31") == [notice.pk]
    assert listed(authority=world.city_org.pk) == []
    assert api.get(DOCUMENTS, {"kind": "nonsense"}).status_code == 400


@pytest.mark.parametrize("count", [1, 3])
def test_api_document_list_query_count_is_constant(
    api, world, staff, flow, django_assert_num_queries, count  # noqa: F811
):
    from tests.factories import CadreFactory

    for i in range(count):
        colleague = CadreFactory(name=f"同事{i}", unit=world.township_a1)
        case = flow.submitted(by=staff.hr, started_by=StartedBy.UNIT,
                              cadres=[world.cadre_a1, colleague])
        issue(authority=case.authority, kind=DocumentKind.ACCEPTANCE_NOTICE, subject=case)
        for cadre in (world.cadre_a1, colleague):
            issue(authority=case.authority, kind=DocumentKind.TOLERANCE_RULING, subject=case,
                  cadre=cadre)
    as_user(api, staff.cadre)
    api.get(DOCUMENTS)  # warm the content-type cache
    # session, user, groups, the page (readable_documents: one statement)
    with django_assert_num_queries(4):
        response = api.get(DOCUMENTS)
    rows = response.json()["results"]
    assert len(rows) == 2 * count  # each notice and 张三's own ruling, not the colleague's
    assert {row["cadre_name"] for row in rows} == {None, "张三"}
    assert IssuedDocument.objects.count() == 3 * count


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_documents_cannot_be_written(api, world, staff, ruling, method):  # noqa: F811
    from core.enums import Role
    from tests.factories import make_user

    as_user(api, make_user("t_admin", Role.ADMIN))
    url = DOCUMENTS if method == "post" else f"{DOCUMENTS}{ruling.pk}/"
    response = getattr(api, method)(url, {"number": "伪〔2026〕1号"}, format="json")
    assert response.status_code == 405
    ruling.refresh_from_db()
    assert ruling.number == "甲组容〔2026〕1号"
