import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.formatting import grouped, mask_id_number, money, plain


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (1234567, None, "1,234,567"),
        (Decimal("1234567.5"), None, "1,234,567.5"),
        (Decimal("1234567.5"), 2, "1,234,567.50"),
        ("1000000", 2, "1,000,000.00"),
        (Decimal("0.005"), 2, "0.01"),
        ("abc", None, "abc"),
        (None, None, "—"),
    ],
)
def test_grouped(value, places, shown):
    assert grouped(value, places) == shown


def test_money_in_yuan_and_in_wan():
    assert money(1000000) == "1,000,000.00 元"
    assert money(Decimal("2500.5")) == "2,500.50 元"
    assert money(Decimal("1.50"), "wan") == "1.5 万元"
    assert money(12, "wan") == "12 万元"
    assert money(None) == "—"


def test_money_is_english_for_english_readers():
    with translation.override("en"):
        assert money(1000000) == "1,000,000.00 yuan"


def test_money_template_filter():
    rendered = Template("{% load formatting %}{{ a|money }} / {{ b|money:'wan' }}").render(
        Context({"a": Decimal("1000000"), "b": Decimal("100")})
    )
    assert rendered == "1,000,000.00 元 / 100 万元"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "—"),
        ("", "—"),
        (True, "是"),
        (False, "否"),
        (2024, "2024"),
        (123456, "123,456"),
        (Decimal("98765.25"), "98,765.25"),
        (["a", "b"], "a、b"),
        ([], "—"),
        ({"q": "zs", "rows": 12000}, "q：zs；rows：12,000"),
        (dt.date(2026, 3, 1), "2026-03-01"),
        ("2026-03-01T00:30:00+00:00", "2026-03-01 08:30"),
        ("2026-03-01", "2026-03-01"),
    ],
)
def test_plain(value, shown):
    assert plain(value) == shown


def test_plain_names_codes_and_lists_of_codes():
    names = {"years_in_rank": "任职年限", "rank_step": "职级台阶"}
    assert plain(["years_in_rank", "rank_step"], names) == "任职年限、职级台阶"
    assert plain("other", names) == "other"


def test_mask_id_number_format():
    assert mask_id_number("370102199001011234") == "3701**********1234"
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_id_number("") == ""
    assert mask_id_number("12345678") == "********"
