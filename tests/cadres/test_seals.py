"""The electronic seal an authority uploads (cadres.seals): checked by content, stored under
its digest, audited; printed over the signature of its documents, never on a draft."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from cadres.seals import check_seal_png, seal_data_uri
from core.models import AuditEvent
from core.uploads import UploadRejected
from tests.seal_png import chunk, png

SEAL = png(240, 240)


def test_a_transparent_png_is_accepted():
    image = check_seal_png(SEAL)
    assert (image.width, image.height, image.sha256) == (
        240, 240, hashlib.sha256(SEAL).hexdigest(),
    )  # fmt: skip


def test_an_rgb_png_with_a_transparent_colour_is_accepted():
    assert check_seal_png(png(200, 220, colour=2, trns=True)).height == 220


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (png(240, 240, colour=2), "印章图片没有透明背景（须为带透明通道的 PNG）。"),
        (b"\xff\xd8\xff\xe0" + SEAL[4:], "印章图片须为 PNG 文件。"),
        (SEAL[:60] + bytes([SEAL[60] ^ 0xFF]) + SEAL[61:], "印章图片已损坏。"),
        (SEAL[:-12], "印章图片已损坏。"),
        (png(120, 120), "印章图片每边须为 200 至 2000 像素。"),
        (png(400, 240), "印章图片的宽与高须大致相等。"),
        (SEAL[:-12] + chunk(b"zzzz", b"\x00" * 600_000) + SEAL[-12:], "印章图片超过 512 KB。"),
    ],
    ids=["no-alpha", "jpeg", "bad-checksum", "no-end", "small", "wide", "large"],
)
def test_refused_seal_images_say_why(data, message):
    with translation.override("zh-hans"), pytest.raises(UploadRejected) as refused:
        check_seal_png(data)
    assert str(refused.value) == message


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def admin_client(client, personas):
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    return client


def _form_data(client, url) -> dict:
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name != "seal" and value is not None:
            data[name] = value
    return data


@pytest.mark.django_db
def test_admin_upload_stores_the_seal_under_its_digest_and_audits(admin_client, world, media):
    authority = world.county_a_org
    url = reverse("admin:cadres_authority_change", args=[authority.pk])
    data = {**_form_data(admin_client, url), "seal": SimpleUploadedFile("公章.png", SEAL)}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    authority.refresh_from_db()
    name = f"authority-seals/authority-{authority.pk}-{hashlib.sha256(SEAL).hexdigest()[:16]}.png"
    assert authority.seal.name == name
    [event] = AuditEvent.objects.filter(action="cadres.authority.update")
    assert (event.before, event.after) == ({"seal": ""}, {"seal": name})
    assert seal_data_uri(authority).startswith("data:image/png;base64,iVBORw0KGgo")


@pytest.mark.django_db
def test_admin_upload_of_a_non_transparent_image_is_a_form_error(admin_client, world, media):
    authority = world.county_a_org
    url = reverse("admin:cadres_authority_change", args=[authority.pk])
    flat = SimpleUploadedFile("公章.png", png(240, 240, colour=2))
    data = {**_form_data(admin_client, url), "seal": flat}
    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["seal"] == [
        "印章图片没有透明背景（须为带透明通道的 PNG）。"
    ]
    authority.refresh_from_db()
    assert not authority.seal
    assert not AuditEvent.objects.filter(action="cadres.authority.update").exists()


@pytest.mark.django_db
def test_a_stored_seal_that_no_longer_checks_is_not_printed(world, media, caplog):
    authority = world.county_a_org
    authority.seal.save("broken.png", ContentFile(b"not a png"), save=True)
    assert seal_data_uri(authority) == ""
    assert "not printed" in caplog.text
