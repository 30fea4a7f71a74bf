"""readable_documents agrees with get_document_for_user on the other apps' documents too:
adjustment proposals and decisions (promotions) and clarification notices (clarifications).

The documents are issued through those apps' own services, with their fixtures; only the
PDF renderer is replaced by a fast fake.
"""

import itertools

import pytest
from django.http import Http404

from assessments.models import TargetAssessment
from clarifications.documents import clarification_issue_notice
from core.document_access import get_document_for_user, readable_documents
from core.enums import Role
from core.models import IssuedDocument
from promotions.models import Proposal
from promotions.proposals.workflow import proposal_transition
from promotions.triggers.scan import scan
from tests.clarifications.conftest import media, people, petitions  # noqa: F401 - fixtures
from tests.drafting import sign_drafts
from tests.factories import make_user
from tests.promotions.conftest import county  # noqa: F401 - fixture
from tests.tolerance.conftest import flow, staff  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_pdf(monkeypatch):
    serial = itertools.count(1)

    def render_pdf(*args, **kwargs):
        return f"%PDF-1.7\n% fake {next(serial)}\n".encode()

    monkeypatch.setattr("clarifications.documents.render_pdf", render_pdf)
    monkeypatch.setattr("promotions.proposals.documents.render_pdf", render_pdf)


def _one_by_one(user) -> set[int]:
    readable = set()
    for pk in IssuedDocument.objects.values_list("pk", flat=True):
        try:
            get_document_for_user(user, pk)
        except Http404:
            continue
        readable.add(pk)
    return readable


def test_readable_documents_agrees_on_proposals_and_clarification_notices(
    world, people, petitions, county, django_capture_on_commit_callbacks  # noqa: F811
):
    with django_capture_on_commit_callbacks(execute=True):
        clarification_issue_notice(petitions.clarified(), actor=people.handler)
    sign_drafts(checker=people.clerk, signer=people.leader)
    notice = IssuedDocument.objects.get(kind="clarification_notice")
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    scan(2023)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_transition(Proposal.objects.get(), actor=county.clerk, action="inspect")
    sign_drafts(checker=county.clerk, signer=people.leader)
    proposal = IssuedDocument.objects.get(kind="adjustment_proposal")
    secretary = make_user("p_secretary", Role.CADRE, cadre=county.secretary)
    personas = {
        "handler": people.handler,
        "discipline_a": people.discipline_a,
        "clerk": people.clerk,
        "leader": people.leader,
        "auditor": people.auditor,
        "admin": people.admin,
        "city_discipline": people.city_discipline,
        "zhang": people.cadre,
        "hr": people.hr,
        "outsider": people.outsider,
        "p_clerk": county.clerk,
        "p_auditor": county.auditor,
        "p_clerk_city": county.clerk_city,
        "secretary": secretary,
    }
    together = {
        name: set(readable_documents(user).values_list("pk", flat=True))
        for name, user in personas.items()
    }
    assert together == {name: _one_by_one(user) for name, user in personas.items()}
    both = {notice.pk, proposal.pk}
    assert together["auditor"] == both and together["p_auditor"] == both
    assert together["zhang"] == {notice.pk}  # the notice clarifies his name
    assert together["p_clerk_city"] == set() and together["outsider"] == set()
