"""The global search of the header: one box, within the person's jurisdiction.

What the text looks like decides where it looks (`classify`, pure): a case number
(RC2025-00012), a petition number (XF2025-00003), a document number (济组容〔2025〕3号),
the last digits of an ID number (4 to 18 digits, X allowed last), or a name — Chinese
characters, pinyin initials (zs) or a full-pinyin prefix (zhangs), through the cadre list's
own search and its stored, indexed pinyin columns. Every branch starts from the
permission functions of the owning app, so nothing outside the jurisdiction is found.
A search by ID digits arrives by POST (never in a URL or an access log) and is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction

from cadres.queries import search_cadres, visible_for_listing
from clarifications.permissions import visible_petitions
from core import audit
from core.document_access import readable_documents
from promotions.proposals.permissions import visible_proposals
from tolerance.permissions import visible_cases

LIMIT = 20
MAX_LENGTH = 40

CASE_NUMBER = re.compile(r"^RC(?:\d{4})?-?0*(\d{1,9})$", re.IGNORECASE)
PETITION_NUMBER = re.compile(r"^XF(?:\d{4})?-?0*(\d{1,9})$", re.IGNORECASE)
ID_DIGITS = re.compile(r"^\d{3,17}[\dXx]$")
DOCUMENT_MARKS = ("〔", "〕", "号", "[", "]")

CASE, PETITION, DOCUMENT, ID_TAIL, NAME, NOTHING = (
    "case",
    "petition",
    "document",
    "id_tail",
    "name",
    "nothing",
)


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    number: int | None = None


def classify(raw: str) -> Query:
    """What kind of search the text asks for (no database)."""
    text = "".join(raw.split())[:MAX_LENGTH]
    if not text:
        return Query(NOTHING, "")
    if match := CASE_NUMBER.match(text):
        return Query(CASE, text, int(match.group(1)))
    if match := PETITION_NUMBER.match(text):
        return Query(PETITION, text, int(match.group(1)))
    if ID_DIGITS.match(text):
        return Query(ID_TAIL, text.upper())
    if any(mark in text for mark in DOCUMENT_MARKS):
        return Query(DOCUMENT, text.replace("[", "〔").replace("]", "〕"))
    return Query(NAME, text)


@dataclass
class Results:
    query: Query
    cadres: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    petitions: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    proposals: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(
            len(rows)
            for rows in (self.cadres, self.cases, self.petitions, self.documents, self.proposals)
        )


def _cadres(user):
    return visible_for_listing(user).select_related("unit").order_by("name", "id")


def search(user, raw: str) -> Results:
    """Everything this user may see that the text names, LIMIT rows per kind at most."""
    query = classify(raw)
    found = Results(query)
    if query.kind == CASE:
        found.cases = list(
            visible_cases(user).select_related("authority").filter(pk=query.number)
        )
    elif query.kind == PETITION:
        found.petitions = list(
            visible_petitions(user).select_related("cadre", "unit").filter(pk=query.number)
        )
    elif query.kind == DOCUMENT:
        found.documents = list(
            readable_documents(user)
            .filter(number__contains=query.text)
            .order_by("-issued_at", "-id")[:LIMIT]
        )
    elif query.kind == ID_TAIL:
        found.cadres = list(_cadres(user).filter(national_id__endswith=query.text)[:LIMIT])
        with transaction.atomic():
            audit.record(
                "workbench.search.id_digits",
                actor=user,
                after={"digits": len(query.text), "found": len(found.cadres)},
            )
    elif query.kind == NAME:
        found.cadres = list(search_cadres(_cadres(user), query.text)[:LIMIT])
        found.documents = list(
            readable_documents(user)
            .filter(number__icontains=query.text)
            .order_by("-issued_at", "-id")[:LIMIT]
        ) if len(query.text) >= 2 else []
    if found.cadres:
        found.proposals = list(
            visible_proposals(user)
            .filter(cadre__in=[c.pk for c in found.cadres])
            .select_related("cadre")
            .order_by("-year", "-id")[:LIMIT]
        )
    return found
