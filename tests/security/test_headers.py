"""Response headers: pages cannot be framed or sniffed; files are downloads, never pages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from core.documents import DocumentKind, document_issue

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
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


def check_page_headers(response) -> None:
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["login", "healthz", "documents:verify"])
def test_public_pages_carry_the_security_headers(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    check_page_headers(response)


def test_signed_in_pages_carry_the_security_headers(client, personas):
    client.force_login(personas.admin)
    for name in ("home", "cadres:list", "audit-log"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        check_page_headers(response)
        assert "Cookie" in response["Vary"]


def test_issued_document_is_a_download_with_nosniff(client, world, personas, media):
    document, _created = document_issue(
        key="security:headers",
        kind=DocumentKind.CLARIFICATION_NOTICE,
        authority=world.county_a_org,
        series="澄",
        title="澄清正名通知书",
        render=lambda number, day: (f"{number}.pdf", "application/pdf", PDF),
        issued_on=dt.date(2026, 3, 5),
    )
    client.force_login(personas.admin)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Frame-Options"] == "DENY"


def test_media_files_are_not_served_as_pages(client, personas, media):
    """Stored files are reachable only through the download views, never by their path."""
    client.force_login(personas.admin)
    response = client.get("/media/documents/anything.pdf")
    assert response.status_code == 404
