"""The staff-proposal form on Jinan's grounds, and service errors put back on a form."""

import datetime as dt

from django.core.exceptions import ValidationError

from promotions.grounds.forms import GroundProposalForm, show_service_errors

GROUNDS = [("unfit", "不胜任现职"), ("incompetent", "不称职")]


def form(data=None):
    return GroundProposalForm(data, choices=GROUNDS)


def test_the_grounds_are_the_choices_and_the_year_starts_at_this_year(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 3, 1))

    fields = form().fields

    assert fields["ground"].choices == [("", "—"), *GROUNDS]
    assert fields["year"].initial == 2026
    assert fields["ground"].widget.attrs["class"] == "form-select"
    attrs = fields["facts"].widget.attrs
    assert (attrs["rows"], attrs["class"], attrs["maxlength"]) == (5, "form-control", "5000")


def test_a_complete_proposal_is_cleaned():
    bound = form({"ground": "unfit", "year": "2025", "facts": "事实", "evidence": "材料一"})

    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data == {"ground": "unfit", "year": 2025, "facts": "事实",
                                  "evidence": "材料一"}


def test_each_missing_or_bad_answer_has_its_message():
    assert form({}).errors == {
        "ground": ["请选择调整事由。"],
        "year": ["请填写事实所属年度。"],
        "facts": ["请写明调整建议所依据的事实。"],
        "evidence": ["请列出调整建议所依据的证据材料。"],
    }
    bad = form({"ground": "lazy", "year": "去年", "facts": "x", "evidence": "y"})
    assert bad.errors == {
        "ground": ["请选择现行办法所列的调整事由之一。"],
        "year": ["年度须为整数。"],
    }


def test_service_errors_go_to_their_fields_and_the_rest_on_top():
    bound = form({"ground": "unfit", "year": "2025", "facts": "事实", "evidence": "材料"})
    assert bound.is_valid()

    show_service_errors(bound, ValidationError({"year": "年度不在范围内。",
                                                "cadre": "干部不在管理范围内。"}))

    assert bound.errors == {"year": ["年度不在范围内。"], "__all__": ["干部不在管理范围内。"]}


def test_a_service_error_without_fields_goes_on_top():
    bound = form({"ground": "unfit", "year": "2025", "facts": "事实", "evidence": "材料"})
    assert bound.is_valid()

    show_service_errors(bound, ValidationError(["已有未办结的调整建议。", "请稍后再试。"]))

    assert bound.non_field_errors() == ["已有未办结的调整建议。", "请稍后再试。"]
