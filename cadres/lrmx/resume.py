"""The résumé (简历, JianLi): one line per post, pure parsing and formatting.

``1998.09--2002.07  山东大学法学专业学习`` is a closed post; ``2015.03--         甲县县长``
(no end, or ``至今``) is a post still held. A line without dates continues the line above:
``（其间：...）`` is kept as that post's note, anything else is appended to its text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .schema import YearMonth, parse_year_month

OPEN_END = " " * 7  # where "yyyy.mm" would stand, so the texts line up
GAP = "  "

_DATE = r"(\d{4}\s*[.．/\-年]\s*\d{1,2}\s*月?|\d{6})"
_LINE = re.compile(rf"^\s*{_DATE}\s*(?:--|-|—+|–|－|~|～|〜|至)\s*(?:{_DATE}|至今|今)?\s*(.*)$")


@dataclass(frozen=True)
class ResumeEntry:
    start: dt.date
    end: dt.date | None
    text: str
    note: str = ""

    @property
    def is_open(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class ResumeProblem:
    line: int  # 1-based
    code: str  # "unreadable", "bad_date", "end_before_start", "no_text"
    text: str


def format_line(start: dt.date, end: dt.date | None, text: str) -> str:
    until = f"{end:%Y.%m}" if end else OPEN_END
    return f"{start:%Y.%m}--{until}{GAP}{text}"


def format_resume(entries: list[ResumeEntry]) -> str:
    return "\n".join(format_line(e.start, e.end, e.text) for e in entries)


def _month(text: str) -> YearMonth | None:
    return parse_year_month(re.sub(r"\s+", "", text).rstrip("月"))


def parse_resume(text: str) -> tuple[list[ResumeEntry], list[ResumeProblem]]:
    """Entries in file order, and every line that could not be read."""
    entries: list[ResumeEntry] = []
    problems: list[ResumeProblem] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip().strip("\u3000")
        if not line:
            continue
        match = _LINE.match(line)
        if not match:
            if not entries:
                problems.append(ResumeProblem(number, "unreadable", line))
            elif line.startswith(("（", "(")):
                last = entries[-1]
                note = f"{last.note} {line}".strip() if last.note else line
                entries[-1] = ResumeEntry(last.start, last.end, last.text, note)
            else:
                last = entries[-1]
                entries[-1] = ResumeEntry(last.start, last.end, last.text + line, last.note)
            continue
        try:
            start = _month(match[1])
            end = _month(match[2]) if match[2] else None
        except ValueError:
            problems.append(ResumeProblem(number, "bad_date", line))
            continue
        if start is None or (match[2] and end is None):
            problems.append(ResumeProblem(number, "bad_date", line))
            continue
        body = match[3].strip().strip("\u3000")
        if not body:
            problems.append(ResumeProblem(number, "no_text", line))
            continue
        start_date = start.first_day()
        end_date = end.first_day() if end else None
        if end_date and end_date < start_date:
            problems.append(ResumeProblem(number, "end_before_start", line))
            continue
        entries.append(ResumeEntry(start_date, end_date, body))
    return entries, problems


def current_entry(entries: list[ResumeEntry]) -> ResumeEntry | None:
    """The post still held that started last (None when every post has ended)."""
    open_entries = [e for e in entries if e.is_open]
    return max(open_entries, key=lambda e: e.start) if open_entries else None
