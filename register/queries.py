"""The register's rows: each document with the conclusion and matched situations it records.

Rulings and appeal decisions are issued per cadre of a case (tolerance.rulings: subject =
the Case, cadre = the cadre), so the conclusion of a document is read from the case's entry
for that cadre (tolerance CaseCadre): an appeal decision records the entry's conclusion as
it stands; a ruling records the conclusion before any appeal (the appeal keeps it as
`original_outcome`, and a conclusion is reviewed at most once). Notices have no cadre and no
conclusion. Everything is annotated by correlated subqueries: one statement, any page size.
"""

from __future__ import annotations

from django.db.models import Case as SqlCase
from django.db.models import CharField, Exists, OuterRef, QuerySet, Subquery, TextField, When
from django.db.models.functions import Cast, Coalesce

from core.models import DocumentKind, IssuedDocument

REGISTER_ORDER: tuple[str, ...] = ("-issued_on", "-id")
"""Newest first; ends in the primary key so that keyset paging is exact."""

EXPORT_ORDER: tuple[str, ...] = ("issued_on", "id")
"""Exports list documents in the order they were issued."""

PAGE_SIZE = 50

# Documents about one cadre's conclusion.
CONCLUSION_KINDS = (DocumentKind.TOLERANCE_RULING, DocumentKind.APPEAL_DECISION)


def _entry():
    from tolerance.models import CaseCadre

    return CaseCadre.objects.filter(case_id=OuterRef("object_id"), cadre_id=OuterRef("cadre_id"))


def with_findings(documents: QuerySet[IssuedDocument]) -> QuerySet[IssuedDocument]:
    """Annotate `outcome` (a tolerance Outcome value, or None) and `situations` (codes)."""
    from tolerance.models import Appeal

    current = Subquery(_entry().values("outcome")[:1], output_field=CharField())
    before_appeal = Subquery(
        Appeal.objects.filter(
            entry__case_id=OuterRef("object_id"), entry__cadre_id=OuterRef("cadre_id")
        )
        .order_by("filed_at", "id")
        .values("original_outcome")[:1],
        output_field=CharField(),
    )
    return documents.annotate(
        outcome=SqlCase(
            When(kind=DocumentKind.TOLERANCE_RULING, then=Coalesce(before_appeal, current)),
            When(kind=DocumentKind.APPEAL_DECISION, then=current),
            default=None,
            output_field=CharField(),
        ),
        situations=Subquery(_entry().values("situations")[:1]),
    )


def matching_situation(documents: QuerySet[IssuedDocument], code: str) -> QuerySet:
    """Documents about a cadre whose matched situations include `code`.

    The list is compared as JSON text ('"SX-01"' inside '["SX-01", "SX-02"]'), which reads
    the same on PostgreSQL and SQLite; codes are letters, digits and dashes.
    """
    entries = _entry().annotate(listed=Cast("situations", TextField()))
    return documents.filter(
        Exists(entries.filter(listed__contains=f'"{code}"')), kind__in=CONCLUSION_KINDS
    )


def register_rows(documents: QuerySet[IssuedDocument]) -> QuerySet[IssuedDocument]:
    """What a page or an export shows of each document: one statement."""
    return with_findings(documents).select_related("authority", "cadre__unit")
