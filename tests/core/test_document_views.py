"""Views of issued documents (core.document_views): the download for permitted users and
the public verification page (number plus fingerprint or file, rate-limited per client)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse

from cadres.permissions import visible_cadres
from core import document_access
from core.document_access import ReadingRule
from core.document_views import VerifyForm
from core.documents import DocumentKind, document_issue
from core.models import AuditEvent

DAY = dt.date(2026, 3, 5)
VERIFY = reverse("documents:verify")


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def render(number: str, issued_on: dt.date) -> tuple[str, str, bytes]:
    return "容错认定决定书.pdf", "application/pdf", f"%PDF-1.7 {number} {issued_on}".encode()


def issue(world, key, **extra):
    extra.setdefault("kind", DocumentKind.TOLERANCE_RULING)
    return document_issue(
        key=key,
        authority=world.county_a_org,
        series="容",
        render=render,
        issued_on=DAY,
        title="关于张三同志容错免责的决定",
        **extra,
    )


# --- the verification form ------------------------------------------------------------------


def test_the_form_tidies_the_number_and_the_fingerprint():
    digest = "AB" * 32
    form = VerifyForm({"number": " 甲组容[2026]1号 ", "sha256": f"  {digest} "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["number"] == "甲组容〔2026〕1号"
    assert form.cleaned_data["digest"] == "ab" * 32


def test_the_form_hashes_an_uploaded_file():
    upload = SimpleUploadedFile("a.pdf", b"abc")
    form = VerifyForm({"number": "甲组容〔2026〕1号"}, {"file": upload})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["digest"] == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def test_the_form_refuses_a_file_over_the_limit(monkeypatch):
    monkeypatch.setattr("core.document_views.VERIFY_MAX_BYTES", 2 * 2**20)
    upload = SimpleUploadedFile("big.pdf", b"x" * (2 * 2**20 + 1))
    form = VerifyForm({"number": "甲组容〔2026〕1号"}, {"file": upload})
    assert not form.is_valid()
    assert form.errors["file"] == ["文件超过 2 MB。"]


# --- the verification page ------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_page_anonymous_form(client):
    response = client.get(VERIFY, {"number": "甲组容〔2026〕1号"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "核验文书" in body
    assert 'value="甲组容〔2026〕1号"' in body


@pytest.mark.django_db
def test_verify_page_genuine_shows_metadata_only(client, world):
    doc, _ = issue(world, "k", cadre=world.cadre_a1)
    response = client.post(VERIFY, {"number": "甲组容[2026]1号", "sha256": doc.sha256})
    assert response.status_code == 200
    assert response.context["result"].status == "genuine"
    body = response.content.decode()
    assert "真实有效" in body
    assert "甲组容〔2026〕1号" in body
    assert "容错认定决定书" in body
    assert "中共甲县县委组织部" in body
    assert "2026年3月5日" in body
    assert "张三" not in body
    assert doc.title not in body


@pytest.mark.django_db
def test_verify_page_uploaded_file_is_hashed(client, world, media):
    doc, _ = issue(world, "k")
    upload = SimpleUploadedFile("决定书.pdf", (media / doc.file.name).read_bytes())
    response = client.post(VERIFY, {"number": doc.number, "file": upload})
    assert response.context["result"].status == "genuine"
    altered = SimpleUploadedFile("决定书.pdf", b"%PDF-1.7 altered")
    response = client.post(VERIFY, {"number": doc.number, "file": altered})
    assert response.context["result"].status == "mismatch"
    body = response.content.decode()
    assert "文号“甲组容〔2026〕1号”确有发文，但此文件不是该文书" in body
    assert "中共甲县县委组织部" not in body
    assert "容错认定决定书" not in body


@pytest.mark.django_db
def test_verify_page_unknown_number(client, world):
    doc, _ = issue(world, "k")
    response = client.post(VERIFY, {"number": "甲组容〔2026〕99号", "sha256": doc.sha256})
    assert response.context["result"].status == "unknown"
    assert "本系统未查到文号为“甲组容〔2026〕99号”的文书" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        ({"number": "甲组容〔2026〕1号"}, "请填写文件的 SHA-256 指纹，或选择文件。"),
        ({"number": "甲组容〔2026〕1号", "sha256": "abc"}, "SHA-256 指纹为 64 位"),
        ({"sha256": "a" * 64}, "此项为必填项。"),
    ],
)
def test_verify_page_bad_input_gets_a_chinese_error(client, world, data, message):
    response = client.post(VERIFY, data)
    assert response.status_code == 200
    assert response.context["result"] is None
    assert message in response.content.decode()


@pytest.mark.django_db
def test_verify_page_both_hash_and_file_is_refused(client, world):
    doc, _ = issue(world, "k")
    upload = SimpleUploadedFile("x.pdf", b"%PDF")
    response = client.post(VERIFY, {"number": doc.number, "sha256": doc.sha256, "file": upload})
    assert response.context["result"] is None
    assert "指纹和文件只能提供其一" in response.content.decode()


@pytest.mark.django_db
def test_verify_page_returned_with_errors_asks_for_the_file_again(client, world):
    """The page is public: nothing is kept on the server, so it says so at the field."""
    upload = SimpleUploadedFile("决定书.pdf", b"%PDF-1.4 genuine")
    response = client.post(VERIFY, {"number": "", "file": upload})
    body = response.content.decode()
    assert "此项为必填项。" in body
    assert "所选文件（决定书.pdf）未保留，请重新选择。" in body


@pytest.mark.django_db
def test_verify_page_rate_limited_per_ip(client, world, monkeypatch):
    monkeypatch.setattr("core.document_views.VERIFY_PER_MINUTE", 3)
    doc, _ = issue(world, "k")
    data = {"number": doc.number, "sha256": doc.sha256}
    statuses = [client.post(VERIFY, data).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.post(VERIFY, data)
    assert limited.context["result"] is None
    assert "核验过于频繁" in limited.content.decode()
    other = client.post(VERIFY, data, REMOTE_ADDR="10.0.0.9")
    assert (other.status_code, other.context["result"].status) == (200, "genuine")


# --- the download ---------------------------------------------------------------------------


def cadre_visible(user, document) -> bool:
    return visible_cadres(user).filter(pk=document.cadre_id).exists()


def cadre_visible_q(user):
    return Q(cadre__in=visible_cadres(user))


CADRE_VISIBLE = ReadingRule(check=cadre_visible, readable=cadre_visible_q)


@pytest.fixture
def ruling_access(monkeypatch):
    monkeypatch.setitem(document_access.RULES, DocumentKind.TOLERANCE_RULING, CADRE_VISIBLE)


def download(client, user, doc):
    client.force_login(user)
    return client.get(reverse("documents:download", args=[doc.pk]))


@pytest.mark.django_db
def test_download_permitted_user_gets_the_attachment(client, world, personas, ruling_access):
    doc, _ = issue(world, "k", cadre=world.cadre_a1)
    response = download(client, personas.clerk_a, doc)
    assert response.status_code == 200
    assert response.content == f"%PDF-1.7 甲组容〔2026〕1号 {DAY}".encode()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%AE%B9%E9%94%99%E8%AE%A4%E5%AE%9A%E5%86%B3%E5%AE%9A"
        "%E4%B9%A6.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action="document.download")
    assert (event.actor, event.object_id, event.authority_id) == (
        personas.clerk_a,
        str(doc.pk),
        world.county_a_org.pk,
    )


@pytest.mark.django_db
def test_download_cadre_reads_own_ruling(client, world, personas, ruling_access):
    doc, _ = issue(world, "k", cadre=world.cadre_a1)
    assert download(client, personas.cadre_a1, doc).status_code == 200


@pytest.mark.django_db
def test_download_colleagues_covering_the_cadre_are_permitted(
    client, world, personas, ruling_access
):
    doc, _ = issue(world, "k", cadre=world.cadre_a1)
    assert download(client, personas.hr_a1, doc).status_code == 200
    assert download(client, personas.auditor, doc).status_code == 200
    assert download(client, personas.discipline, doc).status_code == 200


@pytest.mark.django_db
def test_download_outsiders_get_404(client, world, personas, ruling_access):
    doc, _ = issue(world, "k", cadre=world.cadre_a1)
    assert download(client, personas.outsider, doc).status_code == 404
    assert download(client, personas.clerk_city, doc).status_code == 404
    client.force_login(personas.clerk_a)
    assert client.get(reverse("documents:download", args=[doc.pk + 1000])).status_code == 404
    assert not AuditEvent.objects.filter(action="document.download").exists()


@pytest.mark.django_db
def test_download_requires_login(client, world):
    doc, _ = issue(world, "k")
    response = client.get(reverse("documents:download", args=[doc.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_download_unregistered_kind_is_for_administrators_only(
    client, world, personas, monkeypatch
):
    # Every kind has an owner today: take one away to see what an unowned kind does.
    monkeypatch.delitem(document_access.RULES, DocumentKind.CLARIFICATION_NOTICE)
    doc, _ = issue(world, "k", kind=DocumentKind.CLARIFICATION_NOTICE, cadre=world.cadre_a1)
    assert download(client, personas.admin, doc).status_code == 200
    assert download(client, personas.clerk_a, doc).status_code == 404
    assert download(client, personas.cadre_a1, doc).status_code == 404


@pytest.mark.django_db
def test_download_tampered_file_is_refused(client, world, personas, media):
    doc, _ = issue(world, "k")
    (media / doc.file.name).write_bytes(b"%PDF-1.7 tampered")
    response = download(client, personas.admin, doc)
    assert response.status_code == 500
    assert "完整性校验" in response.content.decode()
    assert not AuditEvent.objects.filter(action="document.download").exists()
