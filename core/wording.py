"""Wording of generated documents: every sentence comes from a fact on the record, and no
phrase is said twice.

A document's template writes its own lead-in before a text staff typed ("经调查核实：",
"理由：", "二、理由"); staff often begin their text with the same words. `without_lead`
removes such a lead-in from the typed text (repeatedly, with the punctuation after it), so
the document never reads "经调查核实：经调查核实，…" or "理由：理由：…". Each kind of document
names the phrases its template already writes.
"""

from __future__ import annotations

from collections.abc import Iterable

LEAD_PUNCTUATION = "，,：:、；; 　"


def without_lead(text: str, phrases: Iterable[str]) -> str:
    """`text` without any of `phrases` at its start (longest first, repeatedly)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    result = (text or "").strip()
    changed = True
    while changed:
        changed = False
        for phrase in ordered:
            if phrase and result.startswith(phrase):
                result = result[len(phrase):].lstrip(LEAD_PUNCTUATION)
                changed = True
                break
    return result


def paragraphs(text: str, phrases: Iterable[str] = ()) -> list[str]:
    """The non-empty paragraphs of `text`, the first without a lead-in from `phrases`."""
    rows = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if rows:
        rows[0] = without_lead(rows[0], phrases)
    return [row for row in rows if row]
