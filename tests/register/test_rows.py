"""The register page's rows (register.rows): the display strings of each kind of document,
the conclusion's badge, the matched situations with their text, and the same on the page."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from core.models import IssuedDocument
from register.rows import OUTCOME_CLASSES, Percent, outcome_labels, page_rows, rows_html
from tests.register.support import *  # noqa: F403 - the fixtures
from tolerance.enums import Outcome
from tolerance.queries import situation_catalogue

pytestmark = pytest.mark.django_db

URL = reverse("register:list")
Y = timezone.localdate().year


def test_outcome_labels_and_classes_cover_every_conclusion():
    assert outcome_labels() == {value: str(label) for value, label in Outcome.choices}
    assert set(OUTCOME_CLASSES) == set(Outcome.values)
    assert page_rows([], {}) == []


@pytest.mark.parametrize(
    "text",
    ["甲组容〔2026〕12号", "A-1_b.c~d/e", "a b&c=d?e#f%g+h", "é€😀\u00a0", ""],
)
def test_the_percent_table_writes_what_quote_writes(text):
    from urllib.parse import quote

    table = Percent()
    assert text.translate(table) == quote(text)
    assert text.translate(table) == quote(text)  # from the characters kept
    assert set(table) == {ord(char) for char in text}


def test_the_percent_table_keeps_a_bounded_number_of_characters(monkeypatch):
    monkeypatch.setattr(Percent, "KEPT", 2)
    table = Percent()
    assert "甲乙丙".translate(table) == "%E7%94%B2%E4%B9%99%E4%B8%99"
    assert len(table) == 2


def test_rows_of_a_ruling_an_appeal_decision_and_notices(client, ledger):
    client.force_login(ledger.people["auditor_a"])
    response = client.get(URL)
    rows = {row["number"]: row for row in response.context["rows"]}
    catalogue = situation_catalogue()
    ruling = IssuedDocument.objects.get(number=f"甲组容〔{Y}〕1号")
    assert rows[ruling.number] == {
        "pk": ruling.pk,
        "number": ruling.number,
        "url": reverse("documents:download", args=[ruling.pk]),
        "kind": ruling.get_kind_display(),
        "subject": ledger.a1.reference,
        "cadre": "张三",
        "cadre_unit": ruling.cadre.unit.name,
        "cadres": "",
        "authority": ruling.authority.name,
        "issued": ruling.issued_on.isoformat(),
        "outcome": "从轻处理",
        "outcome_class": "text-bg-info",
        "situations": [("SX-01", catalogue["SX-01"])],
        "verify_url": reverse("documents:verify") + "?number=" + "%E7%94%B2%E7%BB%84%E5%AE%B9"
        f"%E3%80%94{Y}%E3%80%951%E5%8F%B7",
        "sha256": ruling.sha256,
        "sha_title": f"{ruling.sha256} · 到核验页面核验",
        "sha_short": ruling.sha256[:12],
    }
    assert catalogue["SX-01"]
    appeal = rows[f"甲组容复〔{Y}〕1号"]
    assert (appeal["outcome"], appeal["outcome_class"]) == ("减轻处理", "text-bg-info")
    notice = rows[f"甲组容受〔{Y}〕2号"]
    assert (notice["cadre"], notice["cadres"], notice["outcome"]) == (None, "张三等2人", "")
    assert notice["situations"] == []
    refused = [
        row
        for number, row in rows.items()
        if number.startswith("甲组容〔") and row["outcome"] == "不予容错"
    ]
    assert len(refused) == 2
    assert {row["outcome_class"] for row in refused} == {"text-bg-danger"}
    assert {code for row in refused for code, _text in row["situations"]} == {"SX-02", "SX-03"}


def test_the_page_shows_the_rows(client, ledger):
    client.force_login(ledger.people["auditor_a"])
    body = client.get(URL).content.decode()
    ruling = IssuedDocument.objects.get(number=f"甲组容〔{Y}〕1号")
    text = situation_catalogue()["SX-01"]
    assert (
        f'<a class="fw-semibold" href="{reverse("documents:download", args=[ruling.pk])}"'
        f' title="下载 PDF">{ruling.number}</a>'
    ) in body
    assert '<span class="badge text-bg-info">从轻处理</span>' in body
    assert f'title="{text}">SX-01</span>' in body
    assert f">{ruling.sha256[:12]}…</a>" in body
    assert '<td class="text-nowrap" data-testid="cadre">张三等2人</td>' in body


TEMPLATE_ROWS = Template(
    """{% load i18n %}{% translate "Download the PDF" as download_title %}{% for d in rows %}
        <tr data-testid="register-row">
          <td class="text-nowrap"><a class="fw-semibold" href="{{ d.url }}" title="{{ download_title }}">{{ d.number }}</a></td>
          <td class="text-nowrap d-none d-md-table-cell">{{ d.kind }}</td>
          <td class="text-nowrap" data-testid="subject">{{ d.subject }}</td>
          <td class="text-nowrap" data-testid="cadre">{% if d.cadre is not None %}{{ d.cadre }}<div class="small text-muted">{{ d.cadre_unit }}</div>{% else %}{{ d.cadres }}{% endif %}</td>
          <td class="d-none d-lg-table-cell">{{ d.authority }}</td>
          <td class="text-nowrap">{{ d.issued }}</td>
          <td class="text-nowrap">{% if d.outcome %}<span class="badge {{ d.outcome_class }}">{{ d.outcome }}</span>{% else %}<span class="text-muted">—</span>{% endif %}</td>
          <td class="d-none d-md-table-cell">{% for code, text in d.situations %}<span class="badge text-bg-light border fw-normal me-1" title="{{ text }}">{{ code }}</span>{% empty %}<span class="text-muted">—</span>{% endfor %}</td>
          <td class="d-none d-xl-table-cell"><a class="font-monospace small text-decoration-none" href="{{ d.verify_url }}" title="{{ d.sha_title }}">{{ d.sha_short }}…</a></td>
        </tr>
      {% endfor %}"""  # noqa: E501
)
"""The page's rows as its template wrote them before rows_html."""


def test_rows_html_is_what_the_template_wrote(client, ledger):
    client.force_login(ledger.people["auditor_a"])
    rows = client.get(URL).context["rows"]
    odd = {
        **rows[0],
        "number": '<b>&"\'',
        "cadre": None,
        "cadres": "<i>",
        "outcome": "x&y",
        "outcome_class": '"q"',
        "situations": [("A<1", 'say "hi" & <go>'), ("B", "")],
        "verify_url": "/v/?a=1&b=2",
    }
    with translation.override("zh-hans"):
        assert rows_html([*rows, odd]) == TEMPLATE_ROWS.render(Context({"rows": [*rows, odd]}))
    assert {row["outcome"] for row in rows} > {""}
    assert any(row["situations"] for row in rows) and any(row["cadre"] is None for row in rows)
    assert rows_html([]) == ""
