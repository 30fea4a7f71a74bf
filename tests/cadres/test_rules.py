"""Pure rules: no database. Check digits come from GB 11643's own worked examples."""

import datetime as dt

import pytest

from cadres.rules import (
    DateFacts,
    IdCardInfo,
    InvalidIdNumber,
    id_check_code,
    implausible_dates,
    parse_id_number,
    pinyin_keys,
)

TODAY = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("number", "birth", "gender"),
    [
        ("11010519491231002X", dt.date(1949, 12, 31), "F"),
        ("440524188001010014", dt.date(1880, 1, 1), "M"),
        ("370102199003071238", dt.date(1990, 3, 7), "M"),  # 246 mod 11 = 4 → 8
    ],
)
def test_parse_id_number_valid(number, birth, gender):
    assert parse_id_number(number) == IdCardInfo(number=number, birth_date=birth, gender=gender)


def test_parse_id_number_lower_case_x_accepted_and_normalized():
    info = parse_id_number(" 11010519491231002x ")
    assert info.number == "11010519491231002X"
    assert info.gender == "F"


def test_id_check_code_matches_standard_examples():
    assert id_check_code("11010519491231002") == "X"
    assert id_check_code("44052418800101001") == "4"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "checksum"),  # right format, wrong check digit
        ("440524188001010015", "checksum"),
        ("37010219900230123X", "birth_date"),  # 30 February
        ("370102199013011234", "birth_date"),  # month 13
        ("37010219900307123", "length"),
        ("3701021990030712399", "length"),
        ("", "length"),
        ("37010219900307A239", "chars"),
        ("37010219900307123Y", "chars"),
    ],
)
def test_parse_id_number_invalid(number, code):
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(number)
    assert caught.value.code == code



@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("张三", ("zhangsan", "zs")),
        ("欧阳娜娜", ("ouyangnana", "oynn")),
        ("王堃", ("wangkun", "wk")),
        ("李䶮", ("liyan", "ly")),
        ("刘赟", ("liuyun", "ly")),
        ("张喆", ("zhangzhe", "zz")),
        ("", ("", "")),
    ],
)
def test_pinyin_keys(name, keys):
    assert pinyin_keys(name) == keys


def facts(birth, party=None, work=None, rank=None):
    return DateFacts(birth_date=birth, party_join_date=party, work_start_date=work, rank_since=rank)


def test_implausible_dates_plausible_record_is_empty():
    record = facts(
        dt.date(1985, 4, 2), dt.date(2006, 6, 1), dt.date(2007, 7, 1), dt.date(2020, 1, 1)
    )
    assert implausible_dates(record, today=TODAY) == []


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (dt.date(2010, 6, 15), []),  # 16 today
        (dt.date(2010, 6, 16), ["age_out_of_range"]),  # 16 tomorrow
        (dt.date(1926, 6, 15), []),  # 100 today
        (dt.date(1925, 6, 16), []),  # 101 tomorrow
        (dt.date(1925, 6, 15), ["age_out_of_range"]),  # 101 today
        (dt.date(2026, 6, 16), ["birth_in_future", "age_out_of_range"]),
    ],
)
def test_implausible_dates_age_boundaries(birth, expected):
    assert implausible_dates(facts(birth), today=TODAY) == expected


@pytest.mark.parametrize(
    ("field", "ok", "too_early", "code"),
    [
        ("party", dt.date(2008, 3, 10), dt.date(2008, 3, 9), "party_before_18"),
        ("work", dt.date(2004, 3, 10), dt.date(2004, 3, 9), "work_before_14"),
        ("rank", dt.date(2006, 3, 10), dt.date(2006, 3, 9), "rank_before_16"),
    ],
)
def test_implausible_dates_minimum_age_boundaries(field, ok, too_early, code):
    birth = dt.date(1990, 3, 10)
    assert implausible_dates(facts(birth, **{field: ok}), today=TODAY) == []
    assert implausible_dates(facts(birth, **{field: too_early}), today=TODAY) == [code]


def test_implausible_dates_leap_day_birthday_counts_from_march_first():
    birth = dt.date(2000, 2, 29)
    assert implausible_dates(facts(birth, party=dt.date(2018, 2, 28)), today=TODAY) == [
        "party_before_18"
    ]
    assert implausible_dates(facts(birth, party=dt.date(2018, 3, 1)), today=TODAY) == []


@pytest.mark.parametrize("field", ["party", "work", "rank"])
def test_implausible_dates_today_allowed_tomorrow_in_future(field):
    birth = dt.date(1980, 1, 1)
    assert implausible_dates(facts(birth, **{field: TODAY}), today=TODAY) == []
    tomorrow = TODAY + dt.timedelta(days=1)
    assert implausible_dates(facts(birth, **{field: tomorrow}), today=TODAY) == [
        f"{field}_in_future"
    ]


def test_implausible_dates_reports_every_problem_in_order():
    record = facts(
        dt.date(2020, 1, 1), dt.date(2030, 1, 1), dt.date(2030, 1, 1), dt.date(2030, 1, 1)
    )
    assert implausible_dates(record, today=TODAY) == [
        "party_in_future",
        "work_in_future",
        "rank_in_future",
        "age_out_of_range",
        "party_before_18",
        "work_before_14",
        "rank_before_16",
    ]
