"""Downloading a case's attachments and signed receipts: only through the case, for those
who may see it; audited; never sniffed or cached."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from tolerance.feedback import case_feed_back
from tolerance.filing import attachment_add
from tolerance.models import DeliveryMethod
from tolerance.models.case import AttachmentKind

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


def attach(case, user, kind, name="说明.pdf"):
    return attachment_add(case, actor=user, upload=SimpleUploadedFile(name, PDF), kind=kind)


def download(client, user, case, attachment_pk):
    client.force_login(user)
    return client.get(reverse("tolerance:attachment_download", args=[case.pk, attachment_pk]))


def test_the_applicant_downloads_own_material_audited(client, flow, staff):
    case = flow.filed()
    attachment = attach(case, staff.cadre, AttachmentKind.APPLICATION, "申请书.pdf")
    response = download(client, staff.cadre, case, attachment.pk)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action="tolerance.attachment.download")
    assert (event.actor, event.object_id, event.authority_id) == (
        staff.cadre, str(attachment.pk), case.authority_id
    )


def test_the_applicant_does_not_get_the_investigators_evidence(client, flow, staff):
    case = flow.investigating()
    evidence = attach(case, staff.investigator, AttachmentKind.EVIDENCE)
    assert download(client, staff.cadre, case, evidence.pk).status_code == 404
    assert download(client, staff.clerk, case, evidence.pk).status_code == 200


def test_outsiders_and_wrong_numbers_get_404(client, flow, staff):
    case = flow.filed()
    attachment = attach(case, staff.cadre, AttachmentKind.APPLICATION)
    assert download(client, staff.outsider, case, attachment.pk).status_code == 404
    assert download(client, staff.cadre, case, attachment.pk + 100).status_code == 404
    other = flow.filed()
    assert download(client, staff.cadre, other, attachment.pk).status_code == 404
    assert not AuditEvent.objects.filter(action="tolerance.attachment.download").exists()


def test_a_missing_stored_file_is_404(client, flow, staff):
    case = flow.filed()
    attachment = attach(case, staff.cadre, AttachmentKind.APPLICATION)
    attachment.file.storage.delete(attachment.file.name)
    assert download(client, staff.cadre, case, attachment.pk).status_code == 404


def test_the_signed_receipt_downloads_for_readers_of_the_case(client, flow, staff):
    case = flow.decided()
    case_feed_back(case, actor=staff.clerk, method=DeliveryMethod.IN_PERSON,
                   delivered_on=timezone.localdate(),
                   receipt=SimpleUploadedFile("送达回证.pdf", PDF))
    delivery = case.deliveries.get()
    url = reverse("tolerance:receipt_download", args=[case.pk, delivery.pk])
    client.force_login(staff.cadre)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E9%80%81%E8%BE%BE%E5%9B%9E%E8%AF%81.pdf"  # 送达回证.pdf
    )
    assert AuditEvent.objects.filter(action="tolerance.receipt.download").count() == 1
    client.force_login(staff.outsider)
    assert client.get(url).status_code == 404


def test_a_delivery_without_a_receipt_has_nothing_to_download(client, flow, staff):
    case = flow.fed_back()
    delivery = case.deliveries.get()
    client.force_login(staff.clerk)
    url = reverse("tolerance:receipt_download", args=[case.pk, delivery.pk])
    assert client.get(url).status_code == 404
