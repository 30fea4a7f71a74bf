"""The demo's slice of a second province: its case is judged under 陕西省's own measure."""

from __future__ import annotations

import pytest

from core.models import IssuedDocument
from demo.tolerance_province import already_seeded, seed_second_province

pytestmark = pytest.mark.django_db


def test_the_lantian_case_is_judged_and_ruled_under_shaanxis_measure(
    django_capture_on_commit_callbacks,
):
    from tests.pdftext import flat_text

    with django_capture_on_commit_callbacks(execute=True):
        [case] = seed_second_province(None)

    assert case.state == "fed_back"
    assert (case.authority.name, case.policy_version.jurisdiction_code) == (
        "中共蓝田县委组织部", "61"
    )
    assert case.entries.get().outcome == "exempt"
    ruling = IssuedDocument.objects.get(kind="tolerance_ruling", authority=case.authority)
    assert ruling.number.startswith("蓝组容〔") and ruling.number.endswith("〕1号")
    text = flat_text(ruling.file.read())
    assert "《陕西省党政干部容错纠错办法（试行）》" in text and "默认" not in text
    assert already_seeded() and seed_second_province(None) == []
