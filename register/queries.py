"""The register's rows: each document with the conclusion and matched situations it records.

Rulings and appeal decisions are issued per cadre of a case (tolerance.rulings: subject =
the Case, cadre = the cadre), so the conclusion of a document is read from the case's entry
for that cadre (tolerance CaseCadre): an appeal decision records the entry's conclusion as
it stands; a ruling records the conclusion before any appeal (the appeal keeps it as
`original_outcome`, and a conclusion is reviewed at most once). Notices have no cadre and no
conclusion. Everything is annotated by correlated subqueries: one statement, any page size.

Every row also names its case (or petition) and its cadre: a notice about a case has no
cadre of its own, so it shows the case's cadres (`with_subject`, `subject_reference`,
`cadre_names`), in the page and in the export alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _l

from cadres.access import remembered
from core.listing import Sorting
from core.models import DocumentKind, IssuedDocument
from core.paging import q_branches, rows_by_pk
from core.statements import statement

REGISTER_ORDER: tuple[str, ...] = ("-issued_on", "-id")
"""Newest first; ends in the primary key so that keyset paging is exact."""

EXPORT_ORDER: tuple[str, ...] = ("issued_on", "id")
"""Exports asked without a sort list documents in the order they were issued."""

REGISTER_SORTING = Sorting(
    columns={
        "number": (_l("Document number"), ("number", "id")),
        "kind": (_l("Kind"), ("kind", "issued_on", "id")),
        "issued": (_l("Date of issue"), tuple(o.lstrip("-") for o in REGISTER_ORDER)),
    },
    default="-issued",
)
"""The page's sortable columns; an export from the page keeps the page's sort."""


def sort_of(params) -> str:
    """The page's sort as the `sort` parameter says it ("-issued" when none or unknown)."""
    key, descending = REGISTER_SORTING.chosen(params)
    return f"-{key}" if descending else key


def export_order(filters) -> tuple:
    """An export's order: the page's, when the export kept its sort; else by issue."""
    if filters.get("sort"):
        return REGISTER_SORTING.order(filters)
    return EXPORT_ORDER

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
        # Only documents about one cadre's conclusion look their entry up (a notice has no
        # cadre, a proposal's object id is not a case's).
        situations=SqlCase(
            When(kind__in=CONCLUSION_KINDS, then=Subquery(_entry().values("situations")[:1])),
            default=None,
            output_field=JSONField(),
        ),
    )


def with_outcome(documents: QuerySet[IssuedDocument], value: str) -> QuerySet[IssuedDocument]:
    """The documents whose recorded conclusion (with_findings's `outcome`) is `value`.

    Only a document about a case that has an entry with that conclusion now, or had it
    before an appeal, can record it. That condition comes first, as two uncorrelated
    subqueries PostgreSQL hashes once (the entries by their indexed conclusion; appeals are
    few): a conclusion that few or no cadres have is no longer looked up through the
    correlated subqueries of every document in the jurisdiction (a county's register asked
    for 免责 with none on record took 2.5 s on the 1,000,000-cadre bench)."""
    from tolerance.models import Appeal, CaseCadre

    concluded = CaseCadre.objects.filter(outcome=value).values("case_id")
    appealed = Appeal.objects.filter(original_outcome=value).values("entry__case_id")
    candidates = documents.filter(
        Q(object_id__in=concluded) | Q(object_id__in=appealed), kind__in=CONCLUSION_KINDS
    )
    if "outcome" not in candidates.query.annotations:
        candidates = with_findings(candidates)
    return candidates.filter(outcome=value)


def matching_situation(documents: QuerySet[IssuedDocument], code: str) -> QuerySet:
    """Documents about a cadre whose matched situations include `code`.

    The list is compared as JSON text ('"SX-01"' inside '["SX-01", "SX-02"]'), which reads
    the same on PostgreSQL and SQLite; codes are letters, digits and dashes.
    """
    entries = _entry().annotate(listed=Cast("situations", TextField()))
    return documents.filter(
        Exists(entries.filter(listed__contains=f'"{code}"')), kind__in=CONCLUSION_KINDS
    )


CASE_SUBJECT = Q(content_type__app_label="tolerance", content_type__model="case")
PETITION_SUBJECT = Q(content_type__app_label="clarifications", content_type__model="petition")
NO_CADRE = Q(cadre__isnull=True)


def with_subject(documents: QuerySet[IssuedDocument]) -> QuerySet[IssuedDocument]:
    """Annotate what names the document's case or petition (`case_created`,
    `petition_received`) and, for documents about a case without a cadre of their own (a
    notice), the case's cadres (`case_first_cadre`, `case_cadre_count`)."""
    from clarifications.models import Petition
    from tolerance.models import Case, CaseCadre

    entries = CaseCadre.objects.filter(case_id=OuterRef("object_id"))
    first = Subquery(entries.order_by("id").values("cadre__name")[:1], output_field=CharField())
    count = Subquery(
        entries.order_by().values("case_id").annotate(n=Count("id")).values("n")[:1],
        output_field=IntegerField(),
    )
    return documents.annotate(
        case_created=SqlCase(
            When(
                CASE_SUBJECT,
                then=Subquery(Case.objects.filter(pk=OuterRef("object_id")).values("created_at")[:1]),
            ),
            default=None,
            output_field=DateTimeField(),
        ),
        # (a document with a cadre of its own names that cadre: cadre_names)
        case_first_cadre=SqlCase(When(CASE_SUBJECT & NO_CADRE, then=first), default=None),
        case_cadre_count=SqlCase(When(CASE_SUBJECT & NO_CADRE, then=count), default=None),
        petition_received=SqlCase(
            When(
                PETITION_SUBJECT,
                then=Subquery(
                    Petition.objects.filter(pk=OuterRef("object_id")).values("received_on")[:1]
                ),
            ),
            default=None,
            output_field=DateField(),
        ),
    )


def subject_reference(document, zone=None) -> str:
    """The case number (RC2026-00012) or petition number (XF2026-00003) the document is
    about, as those objects print it; "" for other documents. `zone`: the current time
    zone, when the caller has it (a page of rows)."""
    created = getattr(document, "case_created", None)
    if created is not None:
        return f"RC{timezone.localtime(created, zone).year}-{document.object_id:05d}"
    received = getattr(document, "petition_received", None)
    if received is not None:
        return f"XF{received.year}-{document.object_id:05d}"
    return ""


def cadre_names(document) -> str:
    """The document's cadre; for a notice about a case, the case's cadre(s). `document`:
    read through register_rows, or a row of page_documents (its cadre as `cadre_name`)."""
    cadre = getattr(document, "cadre", None)
    if cadre is not None:
        return cadre.name
    if getattr(document, "cadre_name", None) is not None:
        return document.cadre_name
    first = getattr(document, "case_first_cadre", None)
    if not first:
        return ""
    count = getattr(document, "case_cadre_count", None) or 1
    if count > 1:
        return gettext("%(name)s and others (%(count)s in all)") % {"name": first, "count": count}
    return first


def register_rows(documents: QuerySet[IssuedDocument]) -> QuerySet[IssuedDocument]:
    """What a page or an export shows of each document: one statement."""
    return with_subject(with_findings(documents)).select_related("authority", "cadre__unit")


def sort_columns(order: tuple[str, ...]) -> tuple[str, ...]:
    """The columns of `order` (what a keyset page needs to find its rows and its cursors)."""
    return tuple(name.lstrip("-") for name in order)


def sort_keys(documents: QuerySet[IssuedDocument], order: tuple[str, ...]) -> QuerySet:
    """`documents` reading only the columns of `order` (sort_columns)."""
    return documents.only(*sort_columns(order))


PAGE_COLUMNS: tuple[str, ...] = (
    "id",
    "number",
    "kind",
    "object_id",
    "issued_on",
    "sha256",
    "authority_name",
    "cadre_id",
    "cadre_name",
    "cadre_unit",
    "outcome",
    "situations",
    "case_created",
    "case_first_cadre",
    "case_cadre_count",
    "petition_received",
)
"""What a page shows of each document (register.rows.page_rows), as page_documents reads it."""


def _page_rows() -> QuerySet:
    return register_rows(IssuedDocument.objects.all()).annotate(
        authority_name=F("authority__name"),
        cadre_name=F("cadre__name"),
        cadre_unit=F("cadre__unit__name"),
    )


def page_documents(found: list, order: tuple[str, ...]) -> list:
    """The documents `found` (a page found by its sort keys: anything with an `id`) as a
    page shows them (register_rows, PAGE_COLUMNS as named tuples), in `order`: one
    statement by primary key, compiled once per order (core.paging.rows_by_pk), none for
    no rows."""
    return rows_by_pk(
        _page_rows, PAGE_COLUMNS, [d.id for d in found], order=order, rows_key="register-page"
    )


@dataclass(frozen=True)
class Span:
    """What the register's filter offers: the issuing authorities of the documents the user
    reads, and the years from their first document to their last (newest first)."""

    authorities: tuple[int, ...]
    years: tuple[int, ...]


def _newest_document() -> QuerySet[IssuedDocument]:
    return IssuedDocument.objects.only("pk").order_by("-id")[:1]


def readable_span(user, readable, paths) -> Span:
    """The Span of `readable` (readable_documents(user), or a function returning it when
    first needed; `paths`, its access paths, or a function returning them).

    Both need every readable document once: the (authority, year) pairs found are kept per
    user in the cache (cadres.access.remembered: dropped when reaches change) with the id
    of the newest document they account for, and brought up to date on each request from
    the documents issued since (documents are never changed or deleted), each access path
    reading them through the primary key: a newly issued document's authority and year are
    offered at once, and issuing one does not make every user's choices be read again."""

    def newest() -> int:
        found = statement(IssuedDocument, _newest_document).rows()
        return found[0].pk if found else 0

    def found_since(since: int) -> set[tuple[int, int]]:
        branches = q_branches(
            IssuedDocument.objects.filter(pk__gt=since), paths() if callable(paths) else paths
        )
        if branches is None:
            scoped = readable() if callable(readable) else readable
            found = scoped.filter(pk__gt=since).order_by().values_list("authority_id", "year")
            return set(found.distinct())
        pairs = [b.order_by().values_list("authority_id", "year") for b in branches]
        return set(pairs[0].union(*pairs[1:]))

    def summary(
        pairs: set[tuple[int, int]], authorities: tuple[int, ...], bounds: tuple[int, ...],
        upto: int,
    ) -> tuple:
        """(authorities, (first year, last year) or (), newest document id accounted for),
        from the pairs found added to what was known."""
        found = tuple(sorted({*authorities, *(authority for authority, _year in pairs)}))
        years = [*bounds, *(year for _authority, year in pairs)]
        return found, (min(years), max(years)) if years else (), upto

    def compute() -> tuple:
        upto = newest()
        return summary(found_since(0), (), (), upto)

    def refresh(known: tuple) -> tuple:
        authorities, bounds, upto = known
        latest = newest()
        if latest <= upto:
            return known
        return summary(found_since(upto), authorities, bounds, latest)

    # (a new name for the new shape: entries cached under the old one are never read)
    known = remembered(user, "register-span-years", compute, refresh=refresh)
    authorities, bounds, _upto = known
    years = tuple(range(bounds[1], bounds[0] - 1, -1)) if bounds else ()
    return Span(authorities=authorities, years=years)
