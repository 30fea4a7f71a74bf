"""Reads other apps reuse: the situation catalogue and a cadre's settled conclusions."""

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from tolerance.catalogs import JINAN_2016, SHAANXI_2016
from tolerance.enums import CaseState, Outcome
from tolerance.models import PolicyVersion
from tolerance.policy_data import policy_to_data
from tolerance.queries import settled_conclusions, short_label, situation_catalogue


def _version(policy, *, effective_from, status="published", code="q-test"):
    return PolicyVersion.objects.create(
        jurisdiction_code="3799",
        jurisdiction_name="测试县",
        code=code,
        title="测试办法",
        effective_from=effective_from,
        status=status,
        published_at=timezone.now() if status == "published" else None,
        content=policy_to_data(policy),
    )


def _reworded(code: str, text: str, *, policy=SHAANXI_2016):
    situations = tuple(
        dataclasses.replace(s, code=code, text=text) if i == 0 else s
        for i, s in enumerate(policy.situations)
    )
    return dataclasses.replace(policy, situations=situations)


@pytest.mark.django_db
def test_the_catalogue_holds_every_published_situation_sorted_by_code(world):
    catalogue = situation_catalogue()

    assert list(catalogue) == sorted(catalogue)
    assert catalogue["JN-01"] == JINAN_2016.situation("JN-01").text
    assert catalogue["SX-11"] == SHAANXI_2016.situation("SX-11").text


@pytest.mark.django_db
def test_where_two_versions_word_a_code_differently_the_earlier_wording_shows(world):
    _version(_reworded("SX-01", "更晚的措辞"), effective_from=dt.date(2030, 1, 1), code="late")
    assert situation_catalogue()["SX-01"] == SHAANXI_2016.situation("SX-01").text

    _version(_reworded("SX-01", "更早的措辞"), effective_from=dt.date(2000, 1, 1), code="early")
    assert situation_catalogue()["SX-01"] == "更早的措辞"


@pytest.mark.django_db
def test_drafts_do_not_add_to_the_catalogue_and_published_codes_do(world):
    _version(_reworded("QQ-01", "草稿情形"), effective_from=dt.date(2020, 1, 1),
             status="draft", code="draft")
    assert "QQ-01" not in situation_catalogue()

    _version(_reworded("QQ-02", "新情形"), effective_from=dt.date(2020, 1, 1), code="new")
    assert situation_catalogue()["QQ-02"] == "新情形"


@pytest.mark.django_db
def test_the_catalogue_costs_one_query(world, django_assert_num_queries):
    _version(_reworded("QQ-02", "新情形"), effective_from=dt.date(2020, 1, 1), code="new")
    with django_assert_num_queries(1):
        situation_catalogue()


def test_a_short_label_keeps_short_text_whole():
    assert short_label("SX-01", "在改革创新中出现失误") == "SX-01 在改革创新中出现失误"
    assert short_label("X", "一" * 22) == "X " + "一" * 22


def test_a_short_label_cuts_long_text_with_an_ellipsis():
    assert short_label("X", "一" * 23) == "X " + "一" * 21 + "…"
    assert short_label("X", "abcdefgh", width=5) == "X abcd…"


@pytest.mark.django_db
def test_settled_conclusions_are_those_the_user_may_see(flow, staff, world):
    decided = flow.decided(outcome=Outcome.EXEMPT)
    flow.deliberating()  # the same cadre's second case, not yet decided

    mine = list(settled_conclusions(staff.clerk, world.cadre_a1))

    assert [(c.case_id, c.outcome) for c in mine] == [(decided.pk, Outcome.EXEMPT)]
    assert decided.state == CaseState.RULING_ISSUED
    assert mine[0].case.matter_id == decided.matter_id
    assert list(settled_conclusions(staff.outsider, world.cadre_a1)) == []
    assert list(settled_conclusions(staff.clerk_b, world.cadre_a1)) == []
    assert list(settled_conclusions(staff.clerk, world.cadre_b1)) == []
