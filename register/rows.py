"""The register page's rows as it shows them, built once per request in plain Python.

Each row rendered two `{% url %}` tags, a kind label, the subject and cadre filters, the
outcome label and class, a translated tooltip per cell and a lookup per matched situation:
most of the page's CPU. Here the labels and tooltips are translated once per request, the
links are one `reverse` each per request, and each row is a dict of ready strings made
from the plain values register.queries.page_documents reads (no model instances).
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.display import labels
from core.listing import pk_url
from core.models import IssuedDocument

from .queries import cadre_names, subject_reference

OUTCOME_CLASSES = {
    "exempt": "text-bg-success",
    "mitigated": "text-bg-info",
    "lighter": "text-bg-info",
    "not_tolerated": "text-bg-danger",
}
"""The badge of each conclusion (others: a light badge)."""


class Percent(dict):
    """A `str.translate` table that writes each character as urllib.parse.quote writes it
    (UTF-8 bytes percent-encoded, letters, digits, "_.-~/" as they are): quote once per
    character ever met, instead of a Python call per byte of every document number."""

    KEPT = 10_000

    def __missing__(self, code: int) -> str:
        found = quote(chr(code))
        if len(self) < self.KEPT:
            self[code] = found
        return found


PERCENT = Percent()


def outcome_labels() -> dict[str, str]:
    """{Outcome value: its label} in the active language."""
    from tolerance.enums import Outcome

    return {value: str(label) for value, label in Outcome.choices}


def page_rows(documents: list, situations: dict[str, str]) -> list[dict]:
    """One dict of display strings per document (register.queries.page_documents's rows);
    `situations`: code → text of the matched situations, their tooltips."""
    if not documents:
        return []
    kinds = labels(IssuedDocument._meta.get_field("kind"))
    outcomes = outcome_labels()
    download = pk_url("documents:download")
    verify = reverse("documents:verify")
    check = gettext("Check on the verification page")
    zone = timezone.get_current_timezone()
    rows = []
    for d in documents:
        has_cadre = d.cadre_id is not None
        outcome = d.outcome
        rows.append(
            {
                "pk": d.id,
                "number": d.number,
                "url": download(d.id),
                "kind": kinds.get(d.kind, d.kind),
                "subject": subject_reference(d, zone) or "—",
                "cadre": d.cadre_name if has_cadre else None,
                "cadre_unit": d.cadre_unit if has_cadre else "",
                "cadres": "" if has_cadre else (cadre_names(d) or "—"),
                "authority": d.authority_name,
                "issued": d.issued_on.isoformat(),
                "outcome": outcomes.get(outcome, outcome) if outcome else "",
                "outcome_class": OUTCOME_CLASSES.get(outcome, "text-bg-light border"),
                "situations": [(code, situations.get(code) or "") for code in (d.situations or ())],
                "verify_url": f"{verify}?number={d.number.translate(PERCENT)}",
                "sha256": d.sha256,
                "sha_title": f"{d.sha256} · {check}",
                "sha_short": d.sha256[:12],
            }
        )
    return rows


NOTHING = '<span class="text-muted">—</span>'


def rows_html(rows: list[dict]) -> SafeString:
    """The table rows of page_rows's `rows`, as the page shows them (every value escaped as
    the template escapes it: django.utils.html.escape is html.escape of the str, without
    its lazy-string wrapper): one pass in Python instead of the template's loop and its
    thirty-odd variable lookups per row, for fifty rows on every page."""
    title = escape(gettext("Download the PDF"))
    escaped: dict[str, str] = {}

    def again(value: str) -> str:
        """escape(value) for the values many rows share (labels, authorities, units)."""
        found = escaped.get(value)
        if found is None:
            found = escaped[value] = escape(value)
        return found

    html = []
    for d in rows:
        if d["cadre"] is not None:
            unit = again(d["cadre_unit"])
            cadre = f'{escape(d["cadre"])}<div class="small text-muted">{unit}</div>'
        else:
            cadre = escape(d["cadres"])
        outcome = (
            f'<span class="badge {again(d["outcome_class"])}">{again(d["outcome"])}</span>'
            if d["outcome"]
            else NOTHING
        )
        situations = "".join(
            '<span class="badge text-bg-light border fw-normal me-1"'
            f' title="{again(text)}">{again(str(code))}</span>'
            for code, text in d["situations"]
        )
        html.append(
            '\n        <tr data-testid="register-row">'
            f'\n          <td class="text-nowrap"><a class="fw-semibold" href="{escape(d["url"])}"'
            f' title="{title}">{escape(d["number"])}</a></td>'
            f'\n          <td class="text-nowrap d-none d-md-table-cell">{again(d["kind"])}</td>'
            f'\n          <td class="text-nowrap" data-testid="subject">{escape(d["subject"])}</td>'
            f'\n          <td class="text-nowrap" data-testid="cadre">{cadre}</td>'
            f'\n          <td class="d-none d-lg-table-cell">{again(d["authority"])}</td>'
            f'\n          <td class="text-nowrap">{escape(d["issued"])}</td>'
            f'\n          <td class="text-nowrap">{outcome}</td>'
            f'\n          <td class="d-none d-md-table-cell">{situations or NOTHING}</td>'
            '\n          <td class="d-none d-xl-table-cell"><a class="font-monospace small'
            f' text-decoration-none" href="{escape(d["verify_url"])}"'
            f' title="{escape(d["sha_title"])}">{escape(d["sha_short"])}…</a></td>'
            "\n        </tr>\n      "
        )
    return mark_safe("".join(html))  # noqa: S308 (every value above is escaped)
