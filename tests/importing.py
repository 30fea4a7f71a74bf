"""Posting an import as a person does: the upload's request, then the job it queued, run by
eager Celery when the request's transaction commits (core.imports)."""

from __future__ import annotations

import pytest
from django.test import TestCase
from django.urls import resolve

from core.models import ImportJob


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads and error workbooks go to the test's own folder (imported with the helpers,
    it applies to the importing module's tests)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


def post_import(client, url: str, data: dict):
    """POST the import form; the job queued after the commit runs in-process."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data)


def job_of(response) -> ImportJob:
    """The job an accepted upload redirected to."""
    assert response.status_code == 302, response.status_code
    match = resolve(response.url)
    assert match.view_name == "imports:job"
    return ImportJob.objects.get(pk=match.kwargs["pk"])


def problems(page) -> list[str]:
    """The problem (last cell) of each error row the job page shows."""
    return [row[-1] for row in page.context["errors"]]
