"""Values as people read them: money, numbers, dates, lists; never a Python repr.

Pure functions over plain values (the audit log, the template filters and exports share them).
Money is yuan with two decimals and thousands separators ("1,000,000.00 元"); where the
source speaks in 万元 (the bonus terms of the Jinan measures) the amount keeps that unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

EMPTY = "—"
CENTS = Decimal("0.01")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def grouped(value: Any, places: int | None = None) -> str:
    """1234567.5 → "1,234,567.5"; with places=2 → "1,234,567.50"; non-numbers unchanged."""
    number = _decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return f"{number:,.{places}f}"
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,f}".rstrip("0").rstrip(".")


def money(value: Any, unit: str = "yuan") -> str:
    """An amount of money with its unit: "1,000,000.00 元", or "12.5 万元" (unit="wan",
    the amount already in 万元, shown without trailing zeros)."""
    number = _decimal(value)
    if number is None:
        return EMPTY
    if unit == "wan":
        return _("%(amount)s 10,000 yuan") % {"amount": grouped(number)}
    return _("%(amount)s yuan") % {"amount": grouped(number, 2)}


def _iso_datetime(text: str) -> dt.datetime | None:
    if len(text) < 16 or text[10] not in "T ":
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def plain(value: Any, choices: Mapping | None = None) -> str:
    """Any recorded value as text: lists joined with 、, mappings as "key：value；…",
    booleans 是/否, numbers from 10,000 grouped, ISO date-times in local time;
    `choices` names codes."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if choices and isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if isinstance(value, list | tuple | set | frozenset):
        return "、".join(plain(item, choices) for item in value) if value else EMPTY
    if isinstance(value, Mapping):
        return "；".join(f"{key}：{plain(item, choices)}" for key, item in value.items()) or EMPTY
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and abs(value) < 10_000:
        return str(value)  # years, quarters, ranks, counts: never "2,024"
    if isinstance(value, int | float | Decimal):
        return grouped(value)
    if isinstance(value, str) and (moment := _iso_datetime(value)) is not None:
        return plain(moment)
    return str(value)


def mask_id_number(number: str) -> str:
    """`370102199001011234` → `3701**********1234`."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
