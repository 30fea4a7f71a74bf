import pytest

from core.models import IssuedDocument
from tolerance.enums import CaseState


@pytest.mark.django_db
def test_a_case_goes_from_filing_to_feedback(flow):
    case = flow.fed_back()
    assert case.state == CaseState.FED_BACK
    kinds = sorted(IssuedDocument.objects.values_list("kind", "number"))
    assert kinds == [
        ("acceptance_notice", "甲组容受〔2026〕1号"),
        ("tolerance_ruling", "甲组容〔2026〕1号"),
    ]
