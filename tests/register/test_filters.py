"""The register's filter (register.filters): its choices come from what the user reads, a
search finds a case by its number, and its branches are the access paths with the filter
applied (none when a value is invalid)."""

import pytest
from django.utils import timezone

from core.document_access import readable_documents
from core.models import IssuedDocument
from register.filters import RegisterFilter, search_documents
from register.queries import readable_span
from tests.register.support import *  # noqa: F403 - the fixtures

pytestmark = pytest.mark.django_db

Y = timezone.localdate().year


def test_the_span_offers_the_readable_authorities_and_years(ledger):
    auditor = ledger.people["auditor_a"]
    filterset = RegisterFilter(None, user=auditor)
    assert filterset.span.authorities == (ledger.a1.authority_id,)
    assert filterset.span.years == (Y,)
    admin = ledger.people["admin"]
    everything = readable_span(admin, readable_documents(admin), None)
    assert everything.years == (Y,)
    assert set(everything.authorities) == set(
        IssuedDocument.objects.values_list("authority_id", flat=True)
    )
    nobody = ledger.people["outsider"]
    assert readable_span(nobody, readable_documents(nobody), []) == type(everything)((), ())


def test_a_case_number_finds_the_documents_about_the_case(ledger):
    found = search_documents(IssuedDocument.objects.all(), f"RC{Y}-{ledger.a1.pk:05d}")
    assert set(found) == set(
        IssuedDocument.objects.filter(content_type__model="case", object_id=ledger.a1.pk)
    )
    assert list(search_documents(IssuedDocument.objects.all(), "RC-999999")) == []


def test_branches_are_the_paths_filtered_and_none_when_a_value_is_invalid(ledger, settings):
    auditor = ledger.people["auditor_both"]
    filterset = RegisterFilter({"kind": "tolerance_ruling"}, user=auditor)
    branches = filterset.branches()
    expected = set(filterset.qs.values_list("pk", flat=True))
    assert expected
    if branches is None:  # SQLite reads the scoped queryset as it is (core.paging)
        assert len(filterset.paths) > 1
    else:
        union = set()
        for branch in branches:
            union |= set(branch.values_list("pk", flat=True))
        assert union == expected
    assert RegisterFilter({"kind": "nonsense"}, user=auditor).branches() is None
