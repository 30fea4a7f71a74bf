"""Audit rows for people (core.audit_display): action labels, field names and values in
words, related objects by name in one query per model, whatever the number of rows."""

from __future__ import annotations

import pytest
from django.utils import translation

from core import audit
from core.audit_display import (
    ACTION_LABELS,
    action_label,
    codes_labelled,
    describe,
    key_label,
)
from core.models import AuditEvent


def test_named_prefixed_administration_and_unknown_codes():
    assert action_label("document.issue") == "签发文书"
    assert action_label("cadre.move.promoted") == "干部职务变动：提拔"
    assert action_label("cadre.move.teleported") == "干部职务变动"  # prefix known, kind not
    assert action_label("cadres.unit.update") == "单位：在后台修改"
    assert action_label("cadres.unit.explode") == ""
    assert action_label("nobody.named.this") == ""


def test_codes_are_found_by_words_of_their_label_in_the_active_language():
    assert "document.issue" in codes_labelled("签发")
    assert "cadre.create" not in codes_labelled("签发")
    with translation.override("en"):
        assert "document.issue" in codes_labelled("DOCUMENT ISSUED")
    assert codes_labelled("没有这样的操作") == []
    assert set(codes_labelled("")) == set(ACTION_LABELS)


def test_key_labels_prefer_the_model_field_then_the_known_keys():
    from cadres.models import Cadre

    assert key_label(Cadre._meta.get_field("position"), "position") == "职务"
    assert key_label(None, "rows") == "行数"
    assert key_label(None, "made_up") == "made_up"


@pytest.fixture
def events(world):
    audit.record(
        "cadre.update", actor=None, obj=world.cadre_a1,
        before={"position": "科员", "unit": world.township_a1.pk, "management_level": "county"},
        after={
            "position": "副镇长", "unit": world.county_a.pk, "management_level": "city",
            "filters": {"q": "zs"},
        },
    )
    audit.record(
        "cadre.update", actor=None, obj=world.cadre_b1,
        before={"unit": world.township_b1.pk}, after={"unit": "乙区（已撤销）"},
    )
    audit.record(
        "promotions.exceptional.approve", actor=None,
        after={"bonus": 1000, "waived": ["years_in_rank", "rank_step"], "odd_key": True},
    )
    return list(AuditEvent.objects.select_related("content_type").order_by("id"))


def shown(view):
    return [(c.label, c.before, c.after, c.only_after) for c in view.changes]


@pytest.mark.django_db
def test_a_change_reads_in_field_order_with_names_and_labels(events):
    view = describe(events)[0]
    assert (view.label, view.object_type, view.event) == ("修改干部信息", "干部", events[0])
    assert shown(view) == [
        ("单位", "甲县城关镇", "甲县", False),
        ("职务", "科员", "副镇长", False),
        ("管理权限", "县管", "市管", False),
        ("筛选条件", "—", "q：zs", True),
    ]


@pytest.mark.django_db
def test_a_related_object_recorded_by_name_is_shown_as_recorded(events):
    assert shown(describe(events)[1]) == [("单位", "乙区大明湖街道", "乙区（已撤销）", False)]


@pytest.mark.django_db
def test_keys_of_no_model_use_their_labels_money_and_value_names(events):
    view = describe(events)[2]
    assert (view.label, view.object_type) == ("批准破格提拔", "")
    assert shown(view) == [
        ("奖金", "—", "1,000.00 元", True),
        ("odd_key", "—", "是", True),
        ("破格的条件", "—", "任职年限、职级台阶", True),
    ]


@pytest.mark.django_db
def test_related_names_cost_one_query_per_model(events, django_assert_num_queries):
    with django_assert_num_queries(1):  # the units of both cadre rows, at once
        describe(events)
    with django_assert_num_queries(1):
        describe(events * 20)
