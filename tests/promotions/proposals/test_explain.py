"""Sentences for people: evidence rows, rule clauses and grades, in Chinese."""

import pytest
from django.utils import translation

from promotions.proposals.explain import CLAUSES, clause_label, evidence_line, grade_label


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("row", "line"),
    [
        ({"kind": "target", "year": 2024, "grade": "poor"}, "2024年目标责任考核：较差"),
        ({"kind": "target", "year": 2024, "grade": "weird"}, "2024年目标责任考核：weird"),
        ({"kind": "rank", "year": 2024, "rank": 9, "previous": 4},
         "2024年监测考评第9名（上年第4名，退5位）"),
        ({"kind": "poverty", "year": 2024, "achieved": 80, "target": 100},
         "2024年减贫80人，任务100人"),
        ({"kind": "incident", "date": "2024-05-01", "title": "某矿透水", "severity": "serious",
          "role": "principal"}, "2024-05-01 某矿透水（重大；主要负责人）"),
        ({"kind": "incident", "date": "2024-05-01", "title": "某矿透水", "severity": "serious",
          "role": "in_charge", "effect": "reduced", "outcome": "lighter"},
         "2024-05-01 某矿透水（重大；分管领导） — 容错认定：从轻处理"),
        ({"kind": "incident", "date": "2024-05-01", "title": "某矿透水", "severity": "serious",
          "role": "in_charge", "effect": "counts", "outcome": ""},
         "2024-05-01 某矿透水（重大；分管领导）"),
        ({"kind": "grade", "year": 2024, "grade": "incompetent"}, "2024年度考核等次：不称职"),
        ({"kind": "grade", "year": 2024, "grade": "incompetent",
          "exempted": [{"title": "甲事项"}, {"title": "乙事项"}], "exemption_reason": "另有失职"},
         "2024年度考核等次：不称职——当年已容错免责的事项：甲事项、乙事项；等次仍维持的理由：另有失职"),
        ({"kind": "situation", "title": "不作为"}, "情形：不作为"),
        ({"kind": "situation"}, "情形："),
        ({"kind": "note", "text": "备注"}, "备注"),
        ({"kind": "zzz"}, "{'kind': 'zzz'}"),
    ],
)
def test_each_kind_of_evidence_reads_as_a_sentence(row, line):
    assert evidence_line(row) == line


def test_clauses_have_labels_and_unknown_codes_show_as_stored():
    assert clause_label("target.poor") == "当年目标责任考核为“较差”"
    assert clause_label("no.such.clause") == "no.such.clause"
    assert all(clause_label(code) != code for code in CLAUSES)


def test_grades_read_as_their_label_or_no_grade():
    assert grade_label("excellent") == "优秀"
    assert grade_label(None) == "无等次"
    assert grade_label("") == "无等次"
    assert grade_label("xx") == "xx"
