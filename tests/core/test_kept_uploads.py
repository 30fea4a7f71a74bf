"""Uploads kept on the server while a form is corrected: owned, expiring, by token."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from core import kept_uploads
from core.kept_uploads import KeepsUploads, discard, find, keep, purge_expired, reopen
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def alice():
    return make_user("alice")


@pytest.fixture
def bob():
    return make_user("bob")


@pytest.fixture
def later(monkeypatch):
    """Moves the clock to `seconds` after the test began."""
    start = timezone.now()
    monkeypatch.setattr(kept_uploads.timezone, "now", lambda: start)

    def move(seconds: float) -> None:
        moment = start + dt.timedelta(seconds=seconds)
        monkeypatch.setattr(kept_uploads.timezone, "now", lambda: moment)

    return move


def test_keep_stores_the_bytes_under_the_owner(alice, media):
    kept = keep(alice, SimpleUploadedFile("申请书.pdf", PDF, "application/pdf"))
    assert (kept.name, kept.size, kept.content_type) == ("申请书.pdf", len(PDF), "application/pdf")
    assert len(kept.token) == 32
    assert (media / "kept-uploads" / str(alice.pk) / f"{kept.token}.bin").read_bytes() == PDF


def test_two_keeps_get_different_tokens(alice):
    first = keep(alice, SimpleUploadedFile("a.pdf", PDF))
    second = keep(alice, SimpleUploadedFile("a.pdf", PDF))
    assert first.token != second.token


def test_find_and_reopen_give_the_same_file_back(alice):
    kept = keep(alice, SimpleUploadedFile("申请书.pdf", PDF, "application/pdf"))
    found = find(alice, kept.token)
    assert found == kept
    upload = reopen(alice, found)
    assert (upload.name, upload.read(), upload.content_type) == (
        "申请书.pdf", PDF, "application/pdf"
    )
    assert upload.kept == kept


def test_another_users_token_finds_nothing(alice, bob):
    kept = keep(alice, SimpleUploadedFile("a.pdf", PDF))
    assert find(bob, kept.token) is None
    assert find(alice, kept.token) == kept  # still there for its owner


@pytest.mark.parametrize("token", ["", "short", "../../../etc/passwd" + "x" * 13, "a" * 33])
def test_malformed_tokens_find_nothing(alice, token):
    assert find(alice, token) is None


def test_nobody_anonymous_finds_anything(alice):
    from django.contrib.auth.models import AnonymousUser

    kept = keep(alice, SimpleUploadedFile("a.pdf", PDF))
    assert find(AnonymousUser(), kept.token) is None
    assert find(None, kept.token) is None


def test_an_expired_upload_is_gone(alice, settings, later, media):
    settings.KEPT_UPLOAD_SECONDS = 3600
    kept = keep(alice, SimpleUploadedFile("a.pdf", PDF))
    later(3599)
    assert find(alice, kept.token) == kept
    later(3601)
    assert find(alice, kept.token) is None
    assert list((media / "kept-uploads" / str(alice.pk)).iterdir()) == []


def test_discard_deletes_it(alice):
    kept = keep(alice, SimpleUploadedFile("a.pdf", PDF))
    discard(alice, kept.token)
    assert find(alice, kept.token) is None


def test_purge_deletes_only_expired_uploads(alice, bob, settings, later):
    settings.KEPT_UPLOAD_SECONDS = 3600
    old_a = keep(alice, SimpleUploadedFile("a.pdf", PDF))
    old_b = keep(bob, SimpleUploadedFile("b.pdf", PDF))
    later(3000)
    fresh = keep(alice, SimpleUploadedFile("c.pdf", PDF))
    later(3700)
    assert purge_expired() == 2
    assert not default_storage.exists(f"kept-uploads/{alice.pk}/{old_a.token}.bin")
    assert not default_storage.exists(f"kept-uploads/{bob.pk}/{old_b.token}.bin")
    assert find(alice, fresh.token) == fresh


def test_the_oldest_give_way_beyond_the_per_person_limit(alice, bob, monkeypatch, later):
    monkeypatch.setattr(kept_uploads, "MAX_PER_OWNER", 3)
    tokens = []
    for second in range(4):
        later(second)
        tokens.append(keep(alice, SimpleUploadedFile(f"{second}.pdf", PDF)).token)
    bobs = keep(bob, SimpleUploadedFile("b.pdf", PDF))
    assert [find(alice, t) is not None for t in tokens] == [False, True, True, True]
    assert find(bob, bobs.token) is not None


def test_purge_without_any_kept_upload_is_zero():
    assert purge_expired() == 0


def test_the_purge_task_runs_the_purge(alice, settings, later):
    from core.tasks import purge_kept_uploads

    settings.KEPT_UPLOAD_SECONDS = 60
    keep(alice, SimpleUploadedFile("a.pdf", PDF))
    later(61)
    assert purge_kept_uploads.apply().get() == 1


def test_the_purge_runs_every_hour_and_in_the_embedded_beat(settings):
    from celery.schedules import crontab

    entry = settings.CELERY_BEAT_SCHEDULE["core-purge-kept-uploads"]
    assert entry == {"task": "core.tasks.purge_kept_uploads", "schedule": crontab(minute=40)}
    assert "core.tasks.purge_kept_uploads" in settings.EMBEDDED_BEAT_TASKS


# --- the form mixin ---------------------------------------------------------------------


class Form(KeepsUploads, forms.Form):
    kept_fields = ("file",)
    title = forms.CharField()
    file = forms.FileField(required=False)


def files(**named) -> MultiValueDict:
    return MultiValueDict({name: [upload] for name, upload in named.items()})


def test_a_form_with_errors_keeps_its_valid_file(alice):
    form = Form({}, files(file=SimpleUploadedFile("a.pdf", PDF)), owner=alice)
    assert not form.is_valid()
    [kept] = form.kept["file"]
    assert kept.name == "a.pdf"
    assert find(alice, kept.token) == kept


def test_a_valid_form_keeps_nothing(alice):
    form = Form({"title": "x"}, files(file=SimpleUploadedFile("a.pdf", PDF)), owner=alice)
    assert form.is_valid()
    assert form.kept == {}


def test_a_file_field_with_its_own_error_is_not_kept(alice):
    form = Form({}, files(file=SimpleUploadedFile("a.pdf", b"")), owner=alice)
    assert not form.is_valid()
    assert form.errors["file"] == ["所选文件为空。"]
    assert form.kept == {}


def test_the_resubmitted_token_gives_the_file_back(alice):
    kept = keep(alice, SimpleUploadedFile("a.pdf", PDF))
    form = Form({"title": "x", "file__kept": kept.token}, owner=alice)
    assert form.is_valid()
    assert form.cleaned_data["file"].read() == PDF
    form.discard_kept()
    assert find(alice, kept.token) is None


def test_a_new_file_replaces_the_kept_one(alice):
    kept = keep(alice, SimpleUploadedFile("a.pdf", PDF))
    new = SimpleUploadedFile("b.pdf", PDF + b"%new")
    form = Form({"title": "x", "file__kept": kept.token}, files(file=new), owner=alice)
    assert form.is_valid()
    assert form.cleaned_data["file"].name == "b.pdf"


def test_another_users_token_is_not_used_and_the_field_asks_again(alice, bob):
    kept = keep(alice, SimpleUploadedFile("a.pdf", PDF))
    form = Form({"title": "x", "file__kept": kept.token}, owner=bob)
    assert not form.is_valid()
    assert form.errors["file"] == ["上次选择的附件已不再保留，请重新选择。"]
    assert form.kept == {}
    assert find(alice, kept.token) == kept


def test_a_lost_token_of_a_required_file_field_says_only_why(alice):
    class Required(Form):
        file = forms.FileField()

    form = Required({"title": "x", "file__kept": "x" * 32}, owner=alice)
    assert not form.is_valid()
    assert form.errors["file"] == ["上次选择的附件已不再保留，请重新选择。"]


def test_a_form_still_wrong_sends_the_same_token_back(alice):
    kept = keep(alice, SimpleUploadedFile("a.pdf", PDF))
    form = Form({"file__kept": kept.token}, owner=alice)
    assert not form.is_valid()
    assert form.kept == {"file": [kept]}


def test_without_an_owner_nothing_is_kept():
    form = Form({}, files(file=SimpleUploadedFile("a.pdf", PDF)))
    assert not form.is_valid()
    assert form.kept == {}
