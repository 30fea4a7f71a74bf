"""The register's filter (register.filters): its choices come from what the user reads, a
search finds a case by its number, and its branches are the access paths with the filter
applied (none when a value is invalid)."""

import pytest
from django.utils import timezone

from core.document_access import readable_documents
from core.models import IssuedDocument
from register.filters import RegisterFilter, search_documents, submitted
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


def _issue_about(case, authority, key: str) -> IssuedDocument:
    from core.documents import document_issue
    from core.models import DocumentKind

    def render(number, issued_on):
        return f"{number}.pdf", "application/pdf", f"%PDF-1.7\n% {number}\n".encode()

    document, _created = document_issue(
        key=key, kind=DocumentKind.ACCEPTANCE_NOTICE, authority=authority, series="受",
        title="受理通知书", render=render, subject=case,
    )
    return document


def test_the_span_authorities_are_kept_and_brought_up_to_date(
    ledger, world, settings, django_assert_num_queries
):
    """Across requests the authorities and years come from the cache, brought up to date
    from the documents issued since (one query when there are none, two when there are); a
    change of reaches reads them all again."""
    from django.core.cache import cache

    from cadres.access import forget_reaches
    from core.document_access import readable_document_paths
    from core.models import User

    settings.ACCESS_CACHE_SECONDS = 60
    cache.clear()

    def span():
        user = User.objects.get(pk=ledger.people["auditor_a"].pk)
        user.authority_ids  # noqa: B018 (loaded as on any request, before the span)
        return readable_span(user, readable_documents(user), readable_document_paths(user))

    assert span().authorities == (ledger.a1.authority_id,)
    user = User.objects.get(pk=ledger.people["auditor_a"].pk)
    paths = readable_document_paths(user)
    with django_assert_num_queries(1):  # the newest document's id
        readable_span(user, readable_documents(user), paths)
    _issue_about(ledger.a1, world.city_org, "test.span:1")  # about a case the auditor reads
    with django_assert_num_queries(2):  # ...; the authorities and years of those since
        assert readable_span(user, readable_documents(user), paths).authorities == tuple(
            sorted([ledger.a1.authority_id, world.city_org.pk])
        )
    _issue_about(ledger.c1, world.county_a_org, "test.span:2")  # a case the auditor can't read
    assert readable_span(user, readable_documents(user), paths).authorities == tuple(
        sorted([ledger.a1.authority_id, world.city_org.pk])
    )
    forget_reaches()
    with django_assert_num_queries(2):  # ...; every readable document's authority and year
        assert readable_span(user, readable_documents(user), paths).authorities == tuple(
            sorted([ledger.a1.authority_id, world.city_org.pk])
        )
    cache.clear()


def test_situations_are_read_once_per_set_of_published_versions(
    db, cached, django_assert_num_queries
):
    from django.db.models.signals import post_save

    from register.filters import _SITUATIONS, situations_in_force
    from tolerance.models import PolicyVersion
    from tolerance.queries import situation_catalogue

    _SITUATIONS.clear()
    expected = situation_catalogue()
    assert situations_in_force() == expected
    with django_assert_num_queries(1):  # the ids of the published versions
        assert situations_in_force() == expected
    # A published version cannot be changed; a version saved is read again all the same.
    post_save.send(sender=PolicyVersion, instance=PolicyVersion(), created=True)
    assert not _SITUATIONS
    assert situations_in_force() == situation_catalogue()


def _fields_in_place(user, params) -> str:
    """The fields rendered in full, as the page rendered them before they were kept."""
    from django.template.loader import render_to_string

    from register.filters import FIELDS_TEMPLATE

    return render_to_string(FIELDS_TEMPLATE, {"filter": RegisterFilter(params or None, user=user)})


def _fields_kept(user, params) -> str:
    from register.filters import fields_html

    return str(fields_html(RegisterFilter(params or None, user=user)))


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "number"},
        {"kind": "tolerance_ruling", "q": "<张>", "issued_from": f"{Y}-01-01"},
        {"year": "1999", "authority": "999999", "issued_to": "nonsense"},
    ],
)
def test_kept_fields_are_the_fields_rendered_in_place(ledger, params):
    from register import filters

    filters._fields_html.clear()
    auditor = ledger.people["auditor_both"]
    expected = _fields_in_place(auditor, params).strip()
    assert _fields_kept(auditor, params) == expected  # rendered
    assert _fields_kept(auditor, params) == expected  # kept
    assert len(filters._fields_html) == 1
    if "year" in params:
        assert expected.count("is-invalid") == 3


def test_kept_fields_follow_the_choices_and_the_language(ledger):
    from django.utils import translation

    auditor_a, auditor_both = ledger.people["auditor_a"], ledger.people["auditor_both"]
    city = str(ledger.c1.authority.name)
    assert city not in _fields_kept(auditor_a, {})
    assert city in _fields_kept(auditor_both, {})  # other choices: rendered again
    with translation.override("en"):
        english = _fields_kept(auditor_both, {})
        assert english == _fields_in_place(auditor_both, {}).strip()
    assert "Any year" in english and "Any year" not in _fields_kept(auditor_both, {})


def test_compiled_branches_are_kept_with_the_reach_per_values(ledger, cached, monkeypatch):
    """The page's branches, compiled, come from the user's cache entry for the last few
    submitted values; a change of reaches or of the user compiles them again."""
    from cadres.access import forget_reaches
    from core.models import User
    from core.paging import compile_branches

    built = []
    branches = RegisterFilter.branches

    def counted(self):
        built.append(submitted(self))
        return branches(self)

    monkeypatch.setattr(RegisterFilter, "branches", counted)

    def compiled(data):
        user = User.objects.get(pk=ledger.people["auditor_both"].pk)  # a request's user
        return RegisterFilter(data, user=user).compiled_branches()

    def fresh(data):
        found = branches(RegisterFilter(data, user=ledger.people["auditor_both"]))
        return None if found is None else compile_branches(found)

    rulings = {"kind": "tolerance_ruling"}
    assert compiled(None) == fresh(None)
    assert compiled(None) == fresh(None)
    assert compiled(rulings) == fresh(rulings)
    assert compiled({"kind": "nonsense"}) is None  # invalid: nothing read, nothing kept
    assert built == [(), (("kind", ("tolerance_ruling",)),)]  # once each
    built.clear()
    compiled(None), compiled(rulings)
    assert built == []  # both kept
    for year in ("2001", "2002", "2003"):
        compiled({"issued_from": f"{year}-01-01"})
    compiled(rulings)
    compiled(None)  # the oldest of five: no longer kept
    assert [values for values in built if "issued_from" not in dict(values)] == [()]
    built.clear()
    User.objects.get(pk=ledger.people["auditor_both"].pk).save()
    compiled(rulings)
    forget_reaches()
    compiled(rulings)
    assert built == [(("kind", ("tolerance_ruling",)),)] * 2
