"""cadres.roster.forms: the roster import form asks for one workbook, said at the field."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cadres.roster.forms import XLSX_MIME, RosterImportForm


def test_the_file_is_required_and_offered_as_a_workbook():
    form = RosterImportForm({}, {})
    with translation.override("zh-hans"):
        assert form.errors == {"file": ["此项为必填项。"]}
    assert form.fields["file"].widget.attrs["accept"] == f".xlsx,{XLSX_MIME}"


def test_a_chosen_file_is_the_form_s_file():
    upload = SimpleUploadedFile("名册.xlsx", b"PK\x03\x04")
    form = RosterImportForm({}, {"file": upload})
    assert form.is_valid()
    assert form.cleaned_data["file"] is upload
