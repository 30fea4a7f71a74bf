"""Every document kind the product issues, and the 任免审批表, comes from the one official
base template (templates/pdf/official.html, GB/T 9704); each kind's rendered PDF is checked
in its own app's tests with tests.pdftext.assert_official."""

from __future__ import annotations

from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode

from cadres.lrmx import appointment_form
from clarifications import documents as clarification_documents
from core.models import DocumentKind
from promotions.exceptional import documents as exceptional_documents
from promotions.proposals import documents as proposal_documents
from tolerance import rulings


def document_templates() -> dict[str, str]:
    templates = {str(kind): name for kind, name in rulings.TEMPLATES.items()}
    templates.update({str(kind): name for kind, _series, name in proposal_documents.KINDS.values()})
    templates[DocumentKind.CLARIFICATION_NOTICE] = clarification_documents.TEMPLATE
    templates[DocumentKind.EXCEPTIONAL_PROMOTION] = exceptional_documents.EXCEPTIONAL_TEMPLATE
    return templates


def parent_of(name: str) -> str:
    [node] = [n for n in get_template(name).template.nodelist if isinstance(n, ExtendsNode)]
    return node.parent_name.resolve({})


def test_every_document_kind_has_a_template_on_the_official_base():
    templates = document_templates()
    # A new kind must name its template here (and extend pdf/official.html).
    assert set(templates) == set(DocumentKind.values)
    assert {kind: parent_of(name) for kind, name in templates.items()} == {
        kind: "pdf/official.html" for kind in DocumentKind.values
    }


def test_the_appointment_form_is_on_the_official_base_too():
    assert parent_of(appointment_form.TEMPLATE) == "pdf/official.html"
