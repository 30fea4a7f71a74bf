"""Default policy catalogs and the tolerance translation catalog: no database."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import polib
import pytest
from django.conf import settings
from django.utils import translation

from tolerance import enums, rules
from tolerance.catalogs import (
    CONDITIONS,
    DEFAULT_PROCEDURE,
    DISTINCTIONS,
    EXCLUSIONS,
    GUANYUN,
    GUANYUN_SITUATIONS,
    JINAN_2016,
    POLICIES,
    PROCEDURE_BASIS,
    SHAANXI_2016,
    SHAANXI_SITUATIONS,
    ZHEJIANG_2018,
)
from tolerance.policy_types import ProcedureParameters

ALL_ENTRIES = (*SHAANXI_SITUATIONS, *GUANYUN_SITUATIONS, *DISTINCTIONS, *CONDITIONS, *EXCLUSIONS)


def test_shaanxi_catalog_has_eleven_situations_in_order():
    assert [s.code for s in SHAANXI_SITUATIONS] == [f"SX-{n:02d}" for n in range(1, 12)]


def test_guanyun_catalog_has_eighteen_situations_in_order():
    assert [s.code for s in GUANYUN_SITUATIONS] == [f"GY-{n:02d}" for n in range(1, 19)]


def test_catalog_codes_are_unique():
    codes = [entry.code for entry in ALL_ENTRIES]

    assert len(codes) == len(set(codes))
    assert [d.code for d in DISTINCTIONS] == ["D1", "D2", "D3"]
    assert [c.code for c in CONDITIONS] == ["C1", "C2", "C3", "C4"]
    assert [x.code for x in EXCLUSIONS] == ["X1", "X2", "X3", "X4", "X5", "X6"]


@pytest.mark.parametrize("entry", ALL_ENTRIES, ids=lambda entry: entry.code)
def test_every_entry_has_a_source_confidence_and_evidence(entry):
    assert entry.source.title
    assert entry.source.issuer
    assert entry.confidence in {"seed", "public_text", "reconstructed"}
    assert entry.evidence


def test_shaanxi_source_is_the_2016_measure_of_the_provincial_office():
    source = SHAANXI_SITUATIONS[0].source

    assert source.title == "陕西省党政干部容错纠错办法（试行）"
    assert source.issuer == "中共陕西省委办公厅"
    assert source.date == "2016"
    assert {s.source for s in SHAANXI_SITUATIONS} == {source}


def test_shaanxi_confidence_labels_are_pinned():
    by_confidence = {
        level: [s.code for s in SHAANXI_SITUATIONS if s.confidence == level]
        for level in ("seed", "public_text", "reconstructed")
    }

    assert by_confidence == {
        "seed": ["SX-01", "SX-02", "SX-03"],
        "public_text": ["SX-04", "SX-05", "SX-06"],
        "reconstructed": ["SX-07", "SX-08", "SX-09", "SX-10", "SX-11"],
    }


def test_shaanxi_seed_situations_keep_the_seed_wording():
    texts = [s.text for s in SHAANXI_SITUATIONS[:3]]

    assert "经过民主决策程序" in texts[0] and "积极主动消除影响或挽回损失" in texts[0]
    assert "先行先试出现探索性失误或未达到预期效果" in texts[1]
    assert "因政策界限不明确或不可知的因素" in texts[2]


def test_guanyun_situations_are_all_marked_reconstructed():
    assert {s.confidence for s in GUANYUN_SITUATIONS} == {"reconstructed"}
    assert GUANYUN.separations == (("失误", "失职"), ("违规", "违纪"), ("为公", "为私"))


def test_distinctions_have_both_sides():
    assert [(d.tolerable, d.not_tolerable) for d in DISTINCTIONS] == [
        ("在推进改革中因缺乏经验、先行先试出现的失误和错误", "明知故犯的违纪违法行为"),
        (
            "上级尚无明确限制的探索性试验中的失误和错误",
            "上级明令禁止后依然我行我素的违纪违法行为",
        ),
        ("为推动发展的无意过失", "为谋取私利的违纪违法行为"),
    ]


def test_exclusions_link_to_their_distinction_and_condition():
    links = {x.code: (x.distinction, x.condition) for x in EXCLUSIONS}

    assert links == {
        "X1": ("D3", "C4"),
        "X2": ("D1", ""),
        "X3": ("D2", ""),
        "X4": ("", ""),
        "X5": ("", ""),
        "X6": ("", ""),
    }


def test_procedure_basis_covers_every_parameter():
    fields = [f.name for f in dataclasses.fields(ProcedureParameters)]

    assert sorted(PROCEDURE_BASIS) == sorted(fields)
    assert all(basis in {"seed", "default_chosen"} for basis, _ in PROCEDURE_BASIS.values())
    assert all(note for _, note in PROCEDURE_BASIS.values())
    assert PROCEDURE_BASIS["published_outcomes"][0] == "seed"


def test_default_procedure_values():
    assert DEFAULT_PROCEDURE.published_outcomes == ("exempt",)
    assert DEFAULT_PROCEDURE.publication_scopes == ("unit", "system", "public")
    assert DEFAULT_PROCEDURE.default_publication_scope in DEFAULT_PROCEDURE.publication_scopes
    assert DEFAULT_PROCEDURE.quorum == Fraction(2, 3)
    assert DEFAULT_PROCEDURE.majority == Fraction(1, 2)
    assert DEFAULT_PROCEDURE.majority_base == "present"
    assert (
        DEFAULT_PROCEDURE.acceptance_days,
        DEFAULT_PROCEDURE.investigation_days,
        DEFAULT_PROCEDURE.decision_days,
        DEFAULT_PROCEDURE.appeal_window_days,
    ) == (5, 30, 10, 15)


def test_policies_are_registered_by_code():
    assert dict(POLICIES) == {
        "shaanxi-2016": SHAANXI_2016,
        "jinan-2016": JINAN_2016,
        "guanyun": GUANYUN,
        "zhejiang-2018": ZHEJIANG_2018,
    }
    assert SHAANXI_2016.situation("SX-02").code == "SX-02"
    with pytest.raises(KeyError):
        SHAANXI_2016.situation("GY-01")


def test_case_state_groups_partition_the_states():
    groups = [
        enums.CaseState.drafting_states(),
        enums.CaseState.awaiting_acceptance_states(),
        enums.CaseState.under_review_states(),
        enums.CaseState.decided_states(),
        enums.CaseState.finished_states(),
    ]

    assert sum(len(group) for group in groups) == len(enums.CaseState.values)
    assert frozenset().union(*groups) == frozenset(enums.CaseState.values)
    assert enums.CaseState.open_states() == frozenset(enums.CaseState.values) - groups[-1]


def test_started_by_groups():
    assert enums.StartedBy.applications() | enums.StartedBy.ex_officio() == frozenset(
        enums.StartedBy.values
    )
    assert len(enums.StartedBy.ex_officio()) == 3


def _msgids() -> set[str]:
    labelled = (
        enums.Outcome,
        enums.Advice,
        enums.CaseState,
        enums.StartedBy,
        enums.PublicationScope,
        enums.DistinctionSide,
        enums.ConditionStatus,
        enums.ExclusionStatus,
        enums.Severity,
    )
    with translation.override("en"):
        ids = {str(label) for enum in labelled for label in enum.labels}
        ids |= {str(text) for text in rules.FACT_TEXTS.values()}
    return ids


def test_translation_catalog_translates_every_tolerance_msgid():
    po = polib.pofile(str(settings.BASE_DIR / "locale/tolerance/zh_Hans/LC_MESSAGES/django.po"))
    translated = {e.msgid: e.msgstr for e in po if e.msgstr and "fuzzy" not in e.flags}

    assert po.metadata["Language"] == "zh_Hans"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert sorted(_msgids() - set(translated)) == []
    assert translated["Exempted from responsibility"] == "免除责任"
    assert translated["Mitigated treatment"] == "减轻处理"
    assert translated["Lighter treatment"] == "从轻处理"
    assert translated["Not tolerated"] == "不予容错"
