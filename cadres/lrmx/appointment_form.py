"""The 干部任免审批表 as an A4 PDF, drawn from the same LrmxPerson as the .lrmx export.

`form_context` is pure (the layout decisions: age, résumé lines, font size that fits the
résumé cell); `render_appointment_form` is the renderer: domain objects in,
``(filename, content_type, bytes)`` out. The form is an official Chinese document, so it
is always rendered in Chinese whatever the reader's interface language.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Iterable

import filetype
from django.utils import translation
from django.utils.translation import pgettext

from core.pdf import render_pdf

from ..models import Cadre, PositionRecord
from .build import person_from_cadre
from .resume import parse_resume
from .schema import LrmxPerson, age_on, dotted, parse_year_month

TEMPLATE = "pdf/appointment_form.html"
FAMILY_ROWS = 7  # printed rows, empty ones included
FAMILY_MAX_ROWS = 12  # what page 2 holds beside the other blocks
# Positions read for the form: more than the résumé cell holds at its smallest size.
FORM_MAX_POSITIONS = 60

# The résumé cell of page 1 (millimetres) and the font sizes tried, largest first.
RESUME_WIDTH_MM = 146.0
RESUME_HEIGHT_MM = 122.0
RESUME_SIZES_PT = (12.0, 11.5, 11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0)
RESUME_PERIOD_EM = 9.0  # "1998.09--2002.07" and the gap after it
RESUME_LINE_HEIGHT = 1.45
PT_PER_MM = 72 / 25.4


def labels() -> dict[str, str]:
    """The printed labels; "\\n" marks a line break inside a cell."""
    return {
        "title": pgettext("appointment form", "Cadre appointment and removal approval form"),
        "name": pgettext("appointment form", "Name"),
        "gender": pgettext("appointment form", "Gender"),
        "birth": pgettext("appointment form", "Date of birth\n(age)"),
        "photo": pgettext("appointment form", "Photo"),
        "ethnicity": pgettext("appointment form", "Ethnicity"),
        "native_place": pgettext("appointment form", "Native place"),
        "birthplace": pgettext("appointment form", "Birthplace"),
        "party": pgettext("appointment form", "Joined the Party"),
        "work": pgettext("appointment form", "Started work"),
        "health": pgettext("appointment form", "Health"),
        "title_pro": pgettext("appointment form", "Professional\ntitle"),
        "expertise": pgettext("appointment form", "Field of\nexpertise"),
        "education": pgettext("appointment form", "Education\nand degree"),
        "full_time": pgettext("appointment form", "Full-time\neducation"),
        "in_service": pgettext("appointment form", "In-service\neducation"),
        "school": pgettext("appointment form", "Institution,\nfaculty, major"),
        "current": pgettext("appointment form", "Current post"),
        "proposed": pgettext("appointment form", "Proposed\nappointment"),
        "removed": pgettext("appointment form", "Proposed\nremoval"),
        "resume": pgettext("appointment form", "Résumé"),
        "rewards": pgettext("appointment form", "Rewards and\npunishments"),
        "assessment": pgettext("appointment form", "Annual\nassessment"),
        "reason": pgettext("appointment form", "Reason for\nappointment\nor removal"),
        "family": pgettext(
            "appointment form", "Main family members and important social relations"
        ),
        "relation": pgettext("appointment form", "Relation"),
        "member_name": pgettext("appointment form", "Name"),
        "member_age": pgettext("appointment form", "Age"),
        "politics": pgettext("appointment form", "Political\nstatus"),
        "employer": pgettext("appointment form", "Employer and post"),
        "reporting_unit": pgettext("appointment form", "Reporting unit"),
        "approver": pgettext("appointment form", "Opinion of the\napproving body"),
        "administration": pgettext(
            "appointment form", "Appointment opinion\nof the administrative\nbody"
        ),
        "seal_date": pgettext("appointment form", "(seal)\nyear　month　day"),
        "filled_by": pgettext("appointment form", "Filled in by:"),
        "national_id": pgettext("appointment form", "National ID number:"),
        "years": pgettext("appointment form", "(%(age)d years)"),
        "omitted_posts": pgettext(
            "appointment form", "(%(count)d earlier posts left out; see the cadre's file)"
        ),
        "omitted_family": pgettext(
            "appointment form", "(%(count)d more left out; see the cadre's file)"
        ),
    }


def text_width_em(text: str) -> float:
    """Width in em: CJK and full-width characters are 1, others about a half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def resume_font_size(texts: list[str]) -> float:
    """The largest size at which every résumé line, wrapped, fits the résumé cell."""
    return resume_fit(texts)[0]


def _wrapped_lines(text: str, size: float) -> int:
    per_line = math.floor(RESUME_WIDTH_MM * PT_PER_MM / size - RESUME_PERIOD_EM)
    return max(1, math.ceil(text_width_em(text) / per_line))


def resume_fit(texts: list[str]) -> tuple[float, int]:
    """(font size, how many of the newest entries are printed) for the résumé cell.

    The largest size at which every line fits; when none does, the smallest size and the
    newest entries that fit beside one line saying how many earlier ones are left out.
    """
    for size in RESUME_SIZES_PT:
        lines = sum(_wrapped_lines(t, size) for t in texts)
        if lines * size * RESUME_LINE_HEIGHT <= RESUME_HEIGHT_MM * PT_PER_MM:
            return size, len(texts)
    size = RESUME_SIZES_PT[-1]
    capacity = math.floor(RESUME_HEIGHT_MM * PT_PER_MM / (size * RESUME_LINE_HEIGHT)) - 1
    kept, used = 0, 0
    for text in reversed(texts):
        used += _wrapped_lines(text, size)
        if used > capacity:
            break
        kept += 1
    return size, kept


def _period(start: dt.date, end: dt.date | None) -> str:
    return f"{start:%Y.%m}--{end:%Y.%m}" if end else f"{start:%Y.%m}--"


def _member_age(text: str, on: dt.date) -> str:
    try:
        born = parse_year_month(text)
    except ValueError:
        return ""
    return str(age_on(dt.date(born.year, born.month, 1), on)) if born else ""


def _photo_mime(text: str) -> str:
    """The photo's type by its content (the import checked it already)."""
    if not text:
        return ""
    kind = filetype.guess(base64.b64decode(text[:64]))
    return kind.mime if kind is not None else ""


def form_context(person: LrmxPerson, *, today: dt.date, earlier_omitted: int = 0) -> dict:
    """Everything the template prints, as display strings.

    Bounded by the layout: the résumé cell prints the newest posts that fit it and the
    family table at most FAMILY_MAX_ROWS members; a line says how many were left out
    (``earlier_omitted`` counts the posts the caller did not even read).
    """
    text = labels()
    birth_line, age_line = dotted(person["ChuShengNianYue"]), ""
    try:
        born = parse_year_month(person["ChuShengNianYue"])
    except ValueError:
        born = None
    if born:
        age = age_on(dt.date(born.year, born.month, born.day or 1), today)
        age_line = text["years"] % {"age": age}
    entries, _problems = parse_resume(person["JianLi"])
    resume = [{"period": _period(e.start, e.end), "text": e.text, "note": e.note} for e in entries]
    resume_size, kept = resume_fit([r["text"] + r["note"] for r in resume])
    omitted = earlier_omitted + len(resume) - kept
    resume = resume[len(resume) - kept :]
    if omitted:
        note = text["omitted_posts"] % {"count": omitted}
        resume.insert(0, {"period": "", "text": note, "note": ""})
    family = [
        {**member, "age": _member_age(member.get("ChuShengRiQi", ""), today)}
        for member in person.family[:FAMILY_MAX_ROWS]
    ]
    if len(person.family) > FAMILY_MAX_ROWS:
        family[-1] = {
            "GongZuoDanWeiJiZhiWu": text["omitted_family"]
            % {"count": len(person.family) - FAMILY_MAX_ROWS + 1}
        }
    family += [{}] * max(0, FAMILY_ROWS - len(family))
    return {
        "L": text,
        "p": person.fields,
        "birth_line": birth_line,
        "age_line": age_line,
        "party_date": dotted(person["RuDangShiJian"]),
        "work_date": dotted(person["CanJiaGongZuoShiJian"]),
        "resume": resume,
        "resume_size": resume_size,
        "family": family,
        "national_id": person["ShenFenZheng"],
        "photo_mime": _photo_mime(person["ZhaoPian"]),
    }


def render_appointment_form(
    cadre: Cadre,
    positions: Iterable[PositionRecord],
    *,
    national_id: str,
    today: dt.date,
    filled_by: str = "",
    earlier_omitted: int = 0,
    **details,
) -> tuple[str, str, bytes]:
    """(filename, content type, PDF bytes) of a cadre's appointment form; ``details`` are
    person_from_cadre's dossier, family and filled texts."""
    person = person_from_cadre(
        cadre, positions, national_id=national_id, today=today, filled_by=filled_by, **details
    )
    with translation.override("zh-hans"):
        context = form_context(person, today=today, earlier_omitted=earlier_omitted)
        pdf = render_pdf(TEMPLATE, context)
        filename = f"{labels()['title']}-{cadre.name}.pdf"
    return filename, "application/pdf", pdf
