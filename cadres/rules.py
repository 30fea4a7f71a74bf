"""Pure rules about cadres: identity numbers, masking, pinyin keys, date plausibility.

No ORM here; every function takes and returns plain values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"


@dataclass(frozen=True)
class IdCardInfo:
    number: str
    birth_date: dt.date
    gender: str  # "M" or "F"


class InvalidIdNumber(ValueError):
    """Raised with a code: 'length', 'chars', 'birth_date' or 'checksum'."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def normalize_id_number(raw: str) -> str:
    return (raw or "").strip().upper()


def id_check_code(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CODES[total % 11]


def parse_id_number(raw: str) -> IdCardInfo:
    """Validate an 18-digit GB 11643 citizen identity number; lower-case x is accepted."""
    number = normalize_id_number(raw)
    if len(number) != 18:
        raise InvalidIdNumber("length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber("chars")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("birth_date") from None
    if id_check_code(number[:17]) != number[17]:
        raise InvalidIdNumber("checksum")
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return IdCardInfo(number=number, birth_date=birth, gender=gender)


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) in lower case: 张三 → ("zhangsan", "zs")."""
    syllables = lazy_pinyin(name, errors="ignore")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(syllables).lower(), "".join(initials).lower()


@dataclass(frozen=True)
class DateFacts:
    birth_date: dt.date
    party_join_date: dt.date | None
    work_start_date: dt.date | None
    rank_since: dt.date | None


def implausible_dates(facts: DateFacts, *, today: dt.date) -> list[str]:
    """Codes of every impossible date relation (empty when all is plausible)."""
    problems: list[str] = []
    for code, value in (
        ("birth_in_future", facts.birth_date),
        ("party_in_future", facts.party_join_date),
        ("work_in_future", facts.work_start_date),
        ("rank_in_future", facts.rank_since),
    ):
        if value is not None and value > today:
            problems.append(code)
    age = _years_between(facts.birth_date, today)
    if age < 16 or age > 100:
        problems.append("age_out_of_range")
    if facts.party_join_date and _years_between(facts.birth_date, facts.party_join_date) < 18:
        problems.append("party_before_18")
    if facts.work_start_date and _years_between(facts.birth_date, facts.work_start_date) < 14:
        problems.append("work_before_14")
    if facts.rank_since and _years_between(facts.birth_date, facts.rank_since) < 16:
        problems.append("rank_before_16")
    return problems


def _years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years
