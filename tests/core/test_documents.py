import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cadres.permissions import visible_cadres
from core import document_access, documents
from core.document_access import ReadingRule, get_document_for_user
from core.documents import (
    DocumentKeyConflict,
    DocumentKind,
    DocumentNumberTaken,
    document_issue,
    format_number,
    normalize_number,
    normalize_sha256,
    verify_document,
)
from core.models import AuditEvent, DocumentSequence, IssuedDocument

DAY = dt.date(2026, 3, 5)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


class Renderer:
    """A pure renderer that remembers its calls; the bytes depend on number and date."""

    def __init__(self, fail: bool = False):
        self.calls: list[tuple[str, dt.date]] = []
        self.fail = fail

    def __call__(self, number: str, issued_on: dt.date) -> tuple[str, str, bytes]:
        self.calls.append((number, issued_on))
        if self.fail:
            raise RuntimeError("renderer broke")
        return "容错认定决定书.pdf", "application/pdf", f"%PDF-1.7 {number} {issued_on}".encode()


def issue(world, key, *, series="容", authority=None, issued_on=DAY, render=None, **extra):
    extra.setdefault("kind", DocumentKind.TOLERANCE_RULING)
    extra.setdefault("title", "关于张三同志容错免责的决定")
    return document_issue(
        key=key,
        authority=authority or world.county_a_org,
        series=series,
        render=render or Renderer(),
        issued_on=issued_on,
        **extra,
    )


def stored_files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


# --- pure helpers --------------------------------------------------------------------------


def test_format_number_official_shape():
    assert format_number("甲组", "容", 2026, 7) == "甲组容〔2026〕7号"
    assert format_number("济纪", "澄", 2027, 120) == "济纪澄〔2027〕120号"


@pytest.mark.parametrize(
    "short_name, series, seq", [("", "容", 1), ("甲组", "", 1), ("甲组", "容", 0)]
)
def test_format_number_refuses_incomplete_parts(short_name, series, seq):
    with pytest.raises(ValueError):
        format_number(short_name, series, 2026, seq)


@pytest.mark.parametrize(
    "typed",
    [
        "甲组容〔2026〕7号",
        " 甲组容[2026]7号 ",
        "甲组容【2026】7号",
        "甲组容（2026）7 号",
        "甲组容(2026)7号",
    ],
)
def test_normalize_number_tidies_brackets_and_spaces(typed):
    assert normalize_number(typed) == "甲组容〔2026〕7号"


def test_normalize_sha256_accepts_only_hex_digests():
    digest = hashlib.sha256(b"x").hexdigest()
    assert normalize_sha256(digest.upper()) == digest
    assert normalize_sha256(f" {digest[:32]} {digest[32:]}\n") == digest
    assert normalize_sha256(digest[:-1]) is None
    assert normalize_sha256(digest[:-1] + "g") is None
    assert normalize_sha256("") is None


# --- numbering -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_document_issue_numbers_one_two_three(world):
    numbers = [issue(world, f"case={i}")[0].number for i in (1, 2, 3)]
    assert numbers == ["甲组容〔2026〕1号", "甲组容〔2026〕2号", "甲组容〔2026〕3号"]
    assert [d.seq for d in IssuedDocument.objects.order_by("seq")] == [1, 2, 3]
    sequence = DocumentSequence.objects.get()
    assert (sequence.authority, sequence.year, sequence.series, sequence.last_number) == (
        world.county_a_org,
        2026,
        "容",
        3,
    )


@pytest.mark.django_db
def test_document_issue_separate_sequences_per_series_year_and_authority(world):
    assert issue(world, "a")[0].number == "甲组容〔2026〕1号"
    assert issue(world, "b", series="受")[0].number == "甲组受〔2026〕1号"
    assert issue(world, "c", issued_on=dt.date(2027, 1, 4))[0].number == "甲组容〔2027〕1号"
    assert issue(world, "d", authority=world.city_org)[0].number == "济组容〔2026〕1号"
    assert issue(world, "e")[0].number == "甲组容〔2026〕2号"
    assert issue(world, "f", series="受")[0].number == "甲组受〔2026〕2号"
    assert sorted(DocumentSequence.objects.values_list("series", "year", "last_number")) == [
        ("受", 2026, 2),
        ("容", 2026, 1),
        ("容", 2026, 2),
        ("容", 2027, 1),
    ]


@pytest.mark.django_db
def test_document_issue_stores_file_once_with_its_hash(world, personas, media):
    render = Renderer()
    doc, created = issue(
        world,
        "tolerance.ruling:case=5:cadre=7",
        render=render,
        subject=world.township_a1,
        cadre=world.cadre_a1,
        actor=personas.clerk_a,
    )
    content = f"%PDF-1.7 甲组容〔2026〕1号 {DAY}".encode()
    sha = hashlib.sha256(content).hexdigest()
    assert created is True
    assert render.calls == [("甲组容〔2026〕1号", DAY)]
    doc.refresh_from_db()
    assert (doc.sha256, doc.size, doc.filename, doc.content_type_header) == (
        sha,
        len(content),
        "容错认定决定书.pdf",
        "application/pdf",
    )
    assert doc.file.name == f"documents/2026/{sha}.pdf"
    assert (media / doc.file.name).read_bytes() == content
    assert stored_files(media) == [f"documents/2026/{sha}.pdf"]
    assert (doc.year, doc.series, doc.seq, doc.issued_on) == (2026, "容", 1, DAY)
    assert (doc.subject, doc.cadre, doc.issued_by) == (
        world.township_a1,
        world.cadre_a1,
        personas.clerk_a,
    )
    event = AuditEvent.objects.get(action="document.issue")
    assert (event.actor, event.object_id, event.authority_id) == (
        personas.clerk_a,
        str(doc.pk),
        world.county_a_org.pk,
    )
    assert event.after == {
        "number": "甲组容〔2026〕1号",
        "kind": "tolerance_ruling",
        "title": "关于张三同志容错免责的决定",
        "cadre": world.cadre_a1.pk,
        "issued_on": "2026-03-05",
        "sha256": sha,
        "size": len(content),
        "key": "tolerance.ruling:case=5:cadre=7",
    }


@pytest.mark.django_db
def test_document_issue_keeps_the_authority_of_its_subject(world, personas):
    """A subject that belongs to an authority (a case, a proposal, a petition) lends it to
    the document (what the reading rules' authority paths read); other subjects, none."""
    from clarifications.enums import Channel
    from clarifications.models import Petition

    petition = Petition.objects.create(
        authority=world.city_org,
        received_on=DAY,
        channel=Channel.LETTER,
        cadre=world.cadre_a1,
        allegations="反映问题",
        created_by=personas.clerk_a,
    )
    about_petition, _ = issue(world, "test.subject:petition", subject=petition)
    about_unit, _ = issue(world, "test.subject:unit", subject=world.township_a1)
    alone, _ = issue(world, "test.subject:none")
    assert world.city_org != world.county_a_org  # not the issuing authority's
    assert [
        IssuedDocument.objects.get(pk=d.pk).subject_authority_id
        for d in (about_petition, about_unit, alone)
    ] == [world.city_org.pk, None, None]


@pytest.mark.django_db
def test_document_issue_defaults_to_today_and_sanitizes_the_file_name(world, media):
    def render(number, issued_on):
        return "../../etc/决定书\n.pdf", "application/pdf", b"%PDF-1.7 today"

    doc, _ = document_issue(
        key="k",
        kind=DocumentKind.ACCEPTANCE_NOTICE,
        authority=world.county_a_org,
        series="受",
        title="受理通知书",
        render=render,
    )
    today = timezone.localdate()
    assert doc.issued_on == today
    assert doc.number == f"甲组受〔{today.year}〕1号"
    assert doc.filename == "决定书.pdf"
    assert doc.issued_by is None
    assert stored_files(media) == [f"documents/{today.year}/{doc.sha256}.pdf"]


# --- idempotency and failures --------------------------------------------------------------


@pytest.mark.django_db
def test_document_issue_same_key_twice_gives_one_document(world, media):
    render = Renderer()
    first, created_first = issue(world, "tolerance.ruling:case=5:cadre=7", render=render)
    again, created_again = issue(world, "tolerance.ruling:case=5:cadre=7", render=render)
    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert again.number == "甲组容〔2026〕1号"
    assert len(render.calls) == 1
    assert IssuedDocument.objects.count() == 1
    assert DocumentSequence.objects.get().last_number == 1
    assert AuditEvent.objects.filter(action="document.issue").count() == 1
    assert len(stored_files(media)) == 1


@pytest.mark.django_db
def test_document_issue_same_key_other_kind_is_a_conflict(world):
    issue(world, "clash")
    with pytest.raises(DocumentKeyConflict):
        issue(world, "clash", kind=DocumentKind.APPEAL_DECISION)
    with pytest.raises(DocumentKeyConflict):
        issue(world, "clash", authority=world.city_org)
    assert IssuedDocument.objects.count() == 1


@pytest.mark.django_db
def test_document_issue_refuses_a_number_another_authority_used(world):
    # Short names are unique, but short name + series can still spell another's number.
    world.city_org.short_name = "甲"
    world.city_org.save()
    issue(world, "county")  # 甲组 + 容
    render = Renderer()
    with pytest.raises(DocumentNumberTaken):
        issue(world, "city", series="组容", authority=world.city_org, render=render)
    assert render.calls == []
    assert IssuedDocument.objects.count() == 1
    assert DocumentSequence.objects.filter(authority=world.city_org).count() == 0


@pytest.mark.django_db
def test_document_issue_render_failure_consumes_no_number(world, media):
    issue(world, "one")
    broken = Renderer(fail=True)
    with pytest.raises(RuntimeError):
        issue(world, "two", render=broken)
    assert broken.calls == [("甲组容〔2026〕2号", DAY)]
    assert not IssuedDocument.objects.filter(key="two").exists()
    assert DocumentSequence.objects.get().last_number == 1
    assert AuditEvent.objects.filter(action="document.issue").count() == 1
    assert len(stored_files(media)) == 1
    doc, created = issue(world, "two")
    assert (doc.number, created) == ("甲组容〔2026〕2号", True)


@pytest.mark.django_db
def test_document_issue_render_failure_on_a_new_sequence_leaves_nothing(world):
    with pytest.raises(RuntimeError):
        issue(world, "first", render=Renderer(fail=True))
    assert DocumentSequence.objects.count() == 0
    assert issue(world, "first")[0].number == "甲组容〔2026〕1号"


@pytest.mark.django_db
def test_document_issue_failure_after_storing_removes_the_file(world, media, monkeypatch):
    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(documents.audit, "record", broken_audit)
    with pytest.raises(RuntimeError):
        issue(world, "one")
    assert IssuedDocument.objects.count() == 0
    assert DocumentSequence.objects.count() == 0
    assert stored_files(media) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "result",
    [("x.pdf", "application/pdf", b""), ("", "application/pdf", b"%PDF"), ("x.pdf", "a", "s")],
)
def test_document_issue_refuses_bad_renderer_output(world, result):
    with pytest.raises(ValueError):
        issue(world, "bad", render=lambda number, issued_on: result)
    assert IssuedDocument.objects.count() == 0
    assert DocumentSequence.objects.count() == 0


@pytest.mark.django_db
def test_document_issue_refuses_unknown_kind(world):
    with pytest.raises(ValueError):
        issue(world, "k", kind="birthday_card")


# --- immutability --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value", [("number", "甲组容〔2026〕9号"), ("sha256", "0" * 64), ("file", "x.pdf")]
)
def test_issued_document_refuses_changes(world, field, value):
    doc, _ = issue(world, "k")
    original = getattr(doc, field)
    setattr(doc, field, value)
    with pytest.raises(PermissionDenied):
        doc.save()
    with pytest.raises(PermissionDenied):
        IssuedDocument.objects.filter(pk=doc.pk).update(**{field: value})
    doc.refresh_from_db()
    assert getattr(doc, field) == original


@pytest.mark.django_db
def test_issued_document_refuses_deletion(world):
    doc, _ = issue(world, "k")
    with pytest.raises(PermissionDenied):
        doc.delete()
    with pytest.raises(PermissionDenied):
        IssuedDocument.objects.all().delete()
    assert IssuedDocument.objects.filter(pk=doc.pk).exists()


@pytest.mark.django_db
def test_issued_document_admin_is_read_only(client, world, django_user_model):
    doc, _ = issue(world, "k")
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    listing = client.get(reverse("admin:core_issueddocument_changelist"))
    assert listing.status_code == 200
    assert "甲组容〔2026〕1号" in listing.content.decode()
    page = client.get(reverse("admin:core_issueddocument_change", args=[doc.pk]))
    assert page.status_code == 200
    assert reverse("documents:download", args=[doc.pk]) in page.content.decode()
    assert client.get(reverse("admin:core_issueddocument_add")).status_code == 403
    delete_url = reverse("admin:core_issueddocument_delete", args=[doc.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changed = client.post(
        reverse("admin:core_issueddocument_change", args=[doc.pk]), {"title": "改"}
    )
    assert changed.status_code == 403
    assert IssuedDocument.objects.get(pk=doc.pk).title == "关于张三同志容错免责的决定"
    sequences = client.get(reverse("admin:core_documentsequence_changelist"))
    assert sequences.status_code == 200
    assert client.get(reverse("admin:core_documentsequence_add")).status_code == 403


# --- verification --------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_document_genuine_mismatch_unknown(world):
    doc, _ = issue(world, "k")
    genuine = verify_document("甲组容〔2026〕1号", doc.sha256)
    assert (genuine.status, genuine.document, genuine.genuine) == ("genuine", doc, True)
    typed = verify_document("甲组容[2026]1号", doc.sha256.upper())
    assert (typed.status, typed.document) == ("genuine", doc)
    mismatch = verify_document("甲组容〔2026〕1号", hashlib.sha256(b"forged").hexdigest())
    assert (mismatch.status, mismatch.document, mismatch.genuine) == ("mismatch", None, False)
    assert verify_document("甲组容〔2026〕1号", "not a hash").status == "mismatch"
    unknown = verify_document("甲组容〔2026〕2号", doc.sha256)
    assert (unknown.status, unknown.document) == ("unknown", None)


# --- access and download -------------------------------------------------------------------


def cadre_visible(user, document) -> bool:
    return visible_cadres(user).filter(pk=document.cadre_id).exists()


def cadre_visible_q(user):
    return Q(cadre__in=visible_cadres(user))


CADRE_VISIBLE = ReadingRule(check=cadre_visible, readable=cadre_visible_q)


@pytest.fixture
def ruling_access(monkeypatch):
    monkeypatch.setitem(document_access.RULES, DocumentKind.TOLERANCE_RULING, CADRE_VISIBLE)


@pytest.mark.django_db
def test_get_document_for_user_branches(world, personas, ruling_access):
    doc, _ = issue(world, "k", cadre=world.cadre_a1)
    assert get_document_for_user(personas.clerk_a, doc.pk) == doc
    with pytest.raises(Http404):
        get_document_for_user(personas.outsider, doc.pk)
    with pytest.raises(Http404):
        get_document_for_user(AnonymousUser(), doc.pk)
    personas.clerk_a.is_active = False
    with pytest.raises(Http404):
        get_document_for_user(personas.clerk_a, doc.pk)


# --- the embedded default: rendered before the write lock -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_sqlite_renders_ahead_of_the_transaction_for_the_next_number(world, monkeypatch):
    """The file is rendered outside any transaction, for the number then allocated, and
    not again inside it: the database's write lock is not held during a rendering."""
    issue(world, "first")
    render = Renderer()
    in_transaction = []
    original = render.__call__
    monkeypatch.setattr(
        Renderer,
        "__call__",
        lambda self, n, on: in_transaction.append(connection.in_atomic_block) or original(n, on),
    )
    with (
        documents.rendered_ahead(
            render, authority=world.county_a_org, series="容", issued_on=DAY
        ) as ahead,
        transaction.atomic(),
    ):
        document, created = issue(world, "second", render=ahead)
    assert (created, document.number) == (True, "甲组容〔2026〕2号")
    assert render.calls == [("甲组容〔2026〕2号", DAY)]
    # SQLite: rendered before the write transaction. PostgreSQL locks one sequence row, not
    # the database: the renderer is used as it is, inside the issuing transaction.
    assert in_transaction == [connection.vendor != "sqlite"]
    assert document.file.read() == "%PDF-1.7 甲组容〔2026〕2号 2026-03-05".encode()


@pytest.mark.django_db(transaction=True)
def test_a_number_taken_meanwhile_renders_again(world):
    render = Renderer()
    with documents.rendered_ahead(
        render, authority=world.county_a_org, series="容", issued_on=DAY
    ) as ahead:
        issue(world, "elsewhere")  # another process took number 1 meanwhile
        document, _created = issue(world, "mine", render=ahead)
    assert document.number == "甲组容〔2026〕2号"
    if connection.vendor == "sqlite":  # rendered ahead for 1, then again for the real 2
        assert render.calls == [("甲组容〔2026〕1号", DAY), ("甲组容〔2026〕2号", DAY)]
    else:  # PostgreSQL renders inside the transaction, once, for the number it holds
        assert render.calls == [("甲组容〔2026〕2号", DAY)]
    assert document.file.read() == "%PDF-1.7 甲组容〔2026〕2号 2026-03-05".encode()


@pytest.mark.django_db
def test_inside_a_transaction_or_on_postgresql_the_renderer_is_used_as_is(world):
    render = Renderer()
    with documents.rendered_ahead(render, authority=world.county_a_org, series="容") as ahead:
        assert ahead is render  # the test's transaction encloses it
    assert render.calls == []
