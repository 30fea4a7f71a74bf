"""The entry kinds: each list's columns with its computed values (进位/退位, target met,
the competition's winner), the rows a user sees, the add links, predicates asked once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.entry.kinds import (
    KINDS,
    Cell,
    add_url,
    allowed_once,
    rank_change_cell,
)
from assessments.enums import RankGroup
from assessments.models import (
    MonitoringRank,
    PairedCompetition,
    PovertyTarget,
    TeamAssessment,
)
from cadres.models import ComparisonCategory, Unit


def test_every_kind_is_declared_once_under_its_key():
    assert list(KINDS) == ["team", "target", "ranks", "poverty", "monthly", "checkups",
                           "competitions", "feedback"]
    for key, kind in KINDS.items():
        assert kind.key == key == kind.sheet
        assert (kind.form is None) == bool(kind.add_url), key


def test_add_links_go_to_the_generic_form_or_the_kinds_own_page():
    assert add_url(KINDS["team"]) == reverse("assessments:entry-add", args=["team"])
    assert add_url(KINDS["ranks"]) == reverse("assessments:ranks-enter")
    assert add_url(KINDS["checkups"]) == reverse("assessments:checkup-add")


@pytest.mark.parametrize(
    ("previous", "rank", "cell"),
    [
        (None, 3, Cell("上年无名次", "text-muted")),
        (3, 3, Cell("不变", "text-muted")),
        (5, 2, Cell("进3位", "text-success fw-semibold")),
        (2, 6, Cell("退4位", "text-danger fw-semibold")),
    ],
)
def test_the_change_against_last_year(previous, rank, cell):
    assert rank_change_cell(previous, rank) == cell


def test_a_rank_row_shows_dashes_for_missing_values():
    unit = Unit(name="甲县")
    row = MonitoringRank(unit=unit, year=2024, group=RankGroup.COUNTY, rank=2, score=None)
    row.previous = None

    cells = KINDS["ranks"].cells(row)

    assert [c.text for c in cells][:1] + [c.text for c in cells][2:6] == [
        2024, 2, "甲县", "—", "—"
    ]
    assert cells[-1] == Cell("上年无名次", "text-muted")
    assert len(cells) == len(KINDS["ranks"].headers)


@pytest.mark.parametrize(
    ("target", "achieved", "shown", "achieved_text"),
    [
        (100, None, Cell("结果未出", "text-muted"), "—"),
        (100, 100, Cell("已完成", "text-success fw-semibold"), 100),
        (100, 99, Cell("未完成", "text-danger fw-semibold"), 99),
    ],
)
def test_a_poverty_row_says_whether_the_target_was_met(target, achieved, shown, achieved_text):
    row = PovertyTarget(unit=Unit(name="甲县"), year=2024, target=target, achieved=achieved,
                        note="备注")

    cells = KINDS["poverty"].cells(row)

    assert cells[3].text == achieved_text
    assert cells[4] == shown
    assert len(cells) == len(KINDS["poverty"].headers)


def test_a_graded_row_shows_the_grade_label():
    row = TeamAssessment(unit=Unit(name="甲县"), year=2024, grade="good", comments="")

    cells = KINDS["team"].cells(row)

    assert [c.text for c in cells] == [2024, "甲县", "好", ""]
    assert cells[2].css == "fw-semibold"


@pytest.mark.parametrize(
    ("score_a", "score_b", "ahead", "bold"),
    [
        (Decimal("91"), Decimal("88"), "甲镇", ("fw-semibold", "")),
        (Decimal("80"), Decimal("88"), "乙镇", ("", "fw-semibold")),
        (Decimal("88"), Decimal("88"), "持平", ("", "")),
        (None, Decimal("88"), "—", ("", "")),
    ],
)
def test_a_competition_row_names_who_is_ahead(score_a, score_b, ahead, bold):
    row = PairedCompetition(
        category=ComparisonCategory(name="乡镇类"), year=2024, topic="棚改",
        unit_a=Unit(name="甲镇"), unit_b=Unit(name="乙镇"), score_a=score_a, score_b=score_b,
    )

    cells = KINDS["competitions"].cells(row)

    assert cells[-1].text == ahead
    assert (cells[3].css, cells[5].css) == bold
    assert cells[4].text == ("—" if score_a is None else score_a)


@pytest.mark.django_db
def test_rank_rows_carry_last_years_place_for_whoever_may_read(world, personas):
    for year, rank in ((2023, 4), (2024, 2)):
        MonitoringRank.objects.create(unit=world.county_a, year=year, group=RankGroup.COUNTY,
                                      rank=rank)

    rows = {r.year: r for r in KINDS["ranks"].rows(personas.clerk_a)}

    assert (rows[2024].previous, rows[2023].previous) == (4, None)
    assert KINDS["ranks"].cells(rows[2024])[-1].text == "进2位"
    assert list(KINDS["ranks"].rows(personas.outsider)) == []
    assert KINDS["ranks"].may_read(personas.clerk_a)
    assert not KINDS["ranks"].may_write(personas.outsider)


def test_a_predicate_is_asked_once_per_request():
    asked = []

    def predicate(user):
        asked.append(user)
        return user == "clerk"

    checked: dict = {}
    assert allowed_once(checked, predicate, "clerk") is True
    assert allowed_once(checked, predicate, "clerk") is True
    assert asked == ["clerk"]
