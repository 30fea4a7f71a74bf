"""Forms recording what happened off-line: dates not in the future, the receipt checked by
content and kept for the retry, a departure from the advice needs its reason."""

from __future__ import annotations

import datetime as dt
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from tolerance.record_forms import DeliveryForm, ReceiptForm

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).isoformat()


@pytest.fixture(autouse=True)
def _dates_as_of_the_test(monkeypatch):
    """Tomorrow as the form sees it: when the test runs, not when the module was collected
    (a run that crosses midnight in Asia/Shanghai would differ by a day)."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(sys.modules[__name__], "TOMORROW", tomorrow.isoformat())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def receipt(name="回证.pdf", data=PDF) -> MultiValueDict:
    return MultiValueDict({"receipt": [SimpleUploadedFile(name, data)]})


def test_a_delivery_in_the_future_is_refused_at_its_field():
    form = DeliveryForm({"method": "in_person", "delivered_on": TOMORROW})
    assert not form.is_valid()
    assert form.errors == {"delivered_on": ["送达日期不能晚于今天。"]}


def test_a_delivery_without_a_method_says_required():
    form = DeliveryForm({"delivered_on": timezone.localdate().isoformat()})
    assert not form.is_valid()
    assert form.errors == {"method": ["此项为必填项。"]}


def test_a_receipt_that_is_not_a_document_is_refused():
    form = DeliveryForm({"method": "in_person", "delivered_on": "2026-01-05"},
                        receipt(data=b"MZ\x90\x00 exe"))
    assert not form.is_valid()
    assert form.errors["receipt"] == [
        "只接受 PDF、JPEG、PNG、Word（.docx）和 Excel（.xlsx）文件。"
    ]


def test_a_good_receipt_is_cleaned_to_the_upload_rewound():
    form = DeliveryForm({"method": "in_person", "delivered_on": "2026-01-05"}, receipt())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["receipt"].read() == PDF


@pytest.mark.django_db
def test_a_wrong_date_keeps_the_good_receipt_for_its_owner(staff):
    form = DeliveryForm({"method": "in_person", "delivered_on": TOMORROW}, receipt(),
                        owner=staff.clerk)
    assert not form.is_valid()
    [kept] = form.kept["receipt"]
    retry = DeliveryForm({"method": "in_person", "delivered_on": "2026-01-05",
                          "receipt__kept": kept.token}, owner=staff.clerk)
    assert retry.is_valid(), retry.errors
    assert (retry.cleaned_data["receipt"].name, retry.cleaned_data["receipt"].read()) == (
        "回证.pdf", PDF
    )


@pytest.mark.django_db
def test_a_bad_receipt_is_not_kept(staff):
    form = DeliveryForm({"method": "in_person", "delivered_on": TOMORROW},
                        receipt(data=b"plain text"), owner=staff.clerk)
    assert not form.is_valid()
    assert form.kept == {}


def test_a_receipt_date_in_the_future_is_refused():
    form = ReceiptForm({"received_on": TOMORROW})
    assert not form.is_valid()
    assert form.errors == {"received_on": ["收文日期不能晚于今天。"]}


def test_a_receipt_date_today_is_accepted():
    form = ReceiptForm({"received_on": timezone.localdate().isoformat()})
    assert form.is_valid()
