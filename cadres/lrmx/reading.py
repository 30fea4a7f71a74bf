"""From a parsed form to cadre values and position entries (pure: plain values in and out).

Month-precision dates (party membership, starting work, posts) become the first of the
month; the birth day comes from the ID number, whose year and month must agree with
ChuShengNianYue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..rules import InvalidIdNumber, parse_id_number
from .resume import ResumeEntry, current_entry, parse_resume
from .schema import (
    TEXT_TO_GENDER,
    LrmxPerson,
    education_from_text,
    highest_education,
    normalize_ethnicity,
    parse_year_month,
    split_unit,
    squeeze,
)

# Model field limits, repeated here to keep this module free of the ORM.
MAX_NAME = 64
MAX_ETHNICITY = 16
MAX_NATIVE_PLACE = 64
MAX_POSITION = 128
MAX_NOTE = 200


@dataclass(frozen=True)
class Post:
    """One résumé line, split into unit name and title."""

    start: dt.date
    end: dt.date | None
    unit_name: str
    title: str
    note: str = ""

    @property
    def text(self) -> str:
        return self.unit_name + self.title


@dataclass
class Reading:
    values: dict[str, Any] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _resume_problem(line: int, code: str, text: str) -> str:
    messages = {
        "unreadable": _("Résumé line %(line)d has no period (YYYY.MM--YYYY.MM): %(text)s"),
        "bad_date": _("Résumé line %(line)d has an impossible date: %(text)s"),
        "end_before_start": _("Résumé line %(line)d ends before it starts: %(text)s"),
        "no_text": _("Résumé line %(line)d names no post: %(text)s"),
    }
    return messages[code] % {"line": line, "text": text[:60]}


def _month_date(person: LrmxPerson, tag: str, label: str, problems: list[str]) -> dt.date | None:
    try:
        parsed = parse_year_month(person[tag])
    except ValueError:
        problems.append(
            _("%(field)s is not a valid year and month: %(value)s")
            % {"field": label, "value": person[tag][:20]}
        )
        return None
    return parsed.first_day() if parsed else None


def _posts(entries: list[ResumeEntry], unit_names: list[str], problems: list[str]) -> list[Post]:
    posts = []
    for entry in entries:
        unit_name, title = split_unit(entry.text, unit_names)
        if len(title) > MAX_POSITION:
            problems.append(
                _("A résumé post is longer than %(max)d characters: %(text)s")
                % {"max": MAX_POSITION, "text": entry.text[:40]}
            )
            continue
        posts.append(Post(entry.start, entry.end, unit_name, title, entry.note[:MAX_NOTE]))
    return posts


def read_person(
    person: LrmxPerson,
    *,
    unit_names: list[str],
    current_unit_name: str,
    ethnicities: list[str],
) -> Reading:
    """Cadre values and posts from a form; every problem as a translated sentence.

    ``current_unit_name`` is the unit the cadre will be in (the import target, or the unit
    of the cadre being updated): it is stripped from XianRenZhiWu to give the position.
    """
    reading = Reading()
    problems = reading.problems
    values = reading.values

    name = squeeze(person["XingMing"])
    if not name:
        problems.append(_("The form has no name (XingMing)."))
    elif len(name) > MAX_NAME:
        problems.append(_("The name is longer than %(max)d characters.") % {"max": MAX_NAME})
    values["name"] = name

    number = squeeze(person["ShenFenZheng"]).upper()
    values["national_id"] = number
    id_info = None
    if not number:
        problems.append(
            _(
                "The form has no national ID number (ShenFenZheng); without it the "
                "cadre cannot be matched or created."
            )
        )
    else:
        try:
            id_info = parse_id_number(number)
        except InvalidIdNumber:
            id_info = None  # validate_cadre_values words the exact problem

    gender_text = squeeze(person["XingBie"])
    if gender_text and gender_text not in TEXT_TO_GENDER:
        problems.append(_("The gender must be 男 or 女, not %(value)s.") % {"value": gender_text})
    values["gender"] = TEXT_TO_GENDER.get(gender_text) or (id_info.gender if id_info else "")

    try:
        birth = parse_year_month(person["ChuShengNianYue"])
    except ValueError:
        birth = None
        problems.append(
            _("The birth month is not a valid year and month: %(value)s")
            % {"value": person["ChuShengNianYue"][:20]}
        )
    if (
        birth
        and id_info
        and (birth.year, birth.month) == (id_info.birth_date.year, id_info.birth_date.month)
    ):
        values["birth_date"] = id_info.birth_date
    elif birth:
        # Differs from the ID number: validate_cadre_values reports the mismatch.
        values["birth_date"] = dt.date(birth.year, birth.month, birth.day or 1)
    elif id_info:
        values["birth_date"] = id_info.birth_date
    else:
        problems.append(_("The form has no birth month (ChuShengNianYue)."))

    # An element the file lacks is never defaulted: an update leaves the stored value, and a
    # new cadre needs it (check_files says so).
    ethnicity = normalize_ethnicity(person["MinZu"], ethnicities)
    if len(ethnicity) > MAX_ETHNICITY:
        problems.append(
            _("The ethnicity is not a known ethnic group: %(value)s") % {"value": ethnicity[:20]}
        )
    values["ethnicity"] = ethnicity

    native_place = squeeze(person["JiGuan"])
    if len(native_place) > MAX_NATIVE_PLACE:
        problems.append(
            _("The native place is longer than %(max)d characters.") % {"max": MAX_NATIVE_PLACE}
        )
    values["native_place"] = native_place
    values["party_join_date"] = _month_date(
        person, "RuDangShiJian", _("Party membership date"), problems
    )
    values["work_start_date"] = _month_date(
        person, "CanJiaGongZuoShiJian", _("Date of starting work"), problems
    )
    values["education"] = highest_education(
        education_from_text(person["QuanRiZhiJiaoYu_XueLi"], person["QuanRiZhiJiaoYu_XueWei"]),
        education_from_text(person["ZaiZhiJiaoYu_XueLi"], person["ZaiZhiJiaoYu_XueWei"]),
    )

    entries, resume_problems = parse_resume(person["JianLi"])
    problems.extend(_resume_problem(p.line, p.code, p.text) for p in resume_problems)
    names = sorted({*unit_names, current_unit_name}, key=len, reverse=True)
    reading.posts = _posts(entries, names, problems)

    current = current_entry(entries)
    post = squeeze(person["XianRenZhiWu"])
    if post:
        position = post.removeprefix(current_unit_name) if post != current_unit_name else post
    elif current:
        position = split_unit(current.text, names)[1]
    else:
        position = ""
    if not position:
        problems.append(
            _(
                "The form names no current position (XianRenZhiWu) and the résumé "
                "has no post still held (a line 'YYYY.MM--' without an end)."
            )
        )
    elif len(position) > MAX_POSITION:
        problems.append(
            _("The current position is longer than %(max)d characters.") % {"max": MAX_POSITION}
        )
    values["position"] = position

    if current:
        values["rank_since"] = current.start
    elif entries:
        values["rank_since"] = max(e.start for e in entries)
    else:
        values["rank_since"] = None
    return reading
