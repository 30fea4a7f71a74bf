"""The tolerance pages' forms: they parse input, mark invalid fields, and keep the chosen
files of a form returned with errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from tolerance.enums import StartedBy
from tolerance.forms import (
    AppealDecisionForm,
    AttachmentForm,
    ExtensionForm,
    FilingForm,
    MultipleFileField,
)

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


def filing(**extra) -> dict:
    return {"title": "资金拨付偏差", "description": "出现偏差。", "occurred_on": "2025-03-10",
            **extra}


def test_a_missing_field_says_this_field_is_required():
    form = FilingForm(filing(title=""), starts=[StartedBy.CADRE])
    assert not form.is_valid()
    assert form.errors["title"] == ["此项为必填项。"]
    assert form.fields["title"].widget.attrs["class"] == "form-control is-invalid"
    assert form.fields["description"].widget.attrs["class"] == "form-control"


def test_an_impossible_date_says_enter_a_valid_date():
    form = FilingForm(filing(occurred_on="2025-02-30"), starts=[StartedBy.CADRE])
    assert not form.is_valid()
    assert form.errors["occurred_on"] == ["请输入有效的日期。"]


def test_a_date_in_the_future_is_refused_at_its_field():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = FilingForm(filing(occurred_on=tomorrow.isoformat()), starts=[StartedBy.CADRE])
    assert not form.is_valid()
    assert form.errors["occurred_on"] == ["行为发生日期不能晚于今天。"]


def test_today_is_not_in_the_future():
    form = FilingForm(filing(occurred_on=timezone.localdate().isoformat()),
                      starts=[StartedBy.CADRE])
    assert form.is_valid(), form.errors


def test_a_single_start_has_no_choice_and_is_that_start():
    form = FilingForm(filing(), starts=[StartedBy.UNIT])
    assert "started_by" not in form.fields
    assert form.is_valid()
    assert form.started_by() == StartedBy.UNIT


def test_several_starts_are_a_required_choice():
    starts = [StartedBy.EX_OFFICIO_INSPECTION, StartedBy.EX_OFFICIO_INVESTIGATION]
    form = FilingForm(filing(started_by="cadre"), starts=starts)
    assert not form.is_valid()
    assert form.errors["started_by"] == ["所选项无效：cadre 不在可选范围内，请重新选择。"]


def test_the_files_field_comes_last():
    form = FilingForm(starts=[StartedBy.CADRE])
    assert list(form.fields)[-1] == "files"


@pytest.mark.django_db
def test_a_filing_form_with_errors_keeps_its_files_for_the_owner(staff):
    files = MultiValueDict({"files": [SimpleUploadedFile("说明.pdf", PDF)]})
    form = FilingForm(filing(title=""), files, starts=[StartedBy.CADRE], owner=staff.cadre)
    assert not form.is_valid()
    assert [k.name for k in form.kept["files"]] == ["说明.pdf"]
    retry = FilingForm(filing(**{"files__kept": form.kept["files"][0].token}),
                       starts=[StartedBy.CADRE], owner=staff.cadre)
    assert retry.is_valid(), retry.errors
    assert [(u.name, u.read()) for u in retry.cleaned_data["files"]] == [("说明.pdf", PDF)]


def test_multiple_file_field_checks_each_file_by_content():
    field = MultipleFileField(required=False)
    good, bad = SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", b"text")
    assert field.clean([good]) == [good]
    with pytest.raises(Exception) as refused:
        field.clean([good, bad])
    assert refused.value.messages == [
        "b.pdf: 只接受 PDF、JPEG、PNG、Word（.docx）和 Excel（.xlsx）文件。"
    ]


def test_a_required_multiple_file_field_wants_a_file():
    with pytest.raises(Exception) as refused:
        MultipleFileField().clean([])
    assert refused.value.messages == ["此项为必填项。"]


def test_attachment_form_offers_only_the_kinds_given():
    form = AttachmentForm(kinds=["evidence", "other"])
    assert [value for value, _label in form.fields["kind"].choices] == ["evidence", "other"]


def test_extension_form_caps_the_working_days():
    form = ExtensionForm({"working_days": "6", "reason": "证据调取"}, remaining=5)
    assert not form.is_valid()
    assert form.errors["working_days"] == ["此项不能大于 5。"]


def test_appeal_decision_confirm_means_no_new_outcome():
    form = AppealDecisionForm({"new_outcome": "confirm", "reason": "维持"})
    assert form.is_valid()
    assert form.outcome() is None
