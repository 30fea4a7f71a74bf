"""Pages: the informant is seen only by the handling staff (pages, export, audit log, admin,
notice); timeline and statistics; query counts pinned at two sizes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clarifications.enums import PetitionOutcome
from clarifications.models import Petition
from core.drafts import draft_transition
from core.models import AuditEvent, DocumentDraft, IssuedDocument, OutboxTask
from tests.pdftext import assert_official, flat_text

from .conftest import CONTACT, INFORMANT

INFORMANT_READ = "clarifications.petition.informant_read"
MASKED = ["clerk", "leader", "auditor", "admin"]
NOT_FOUND = ["city_discipline", "cadre", "hr", "outsider"]


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_handling_staff_see_the_informant(client, petitions, people):
    petition = petitions.received()
    for user in (people.handler, people.discipline_a):
        page = _get(client, user, reverse("clarifications:petition", args=[petition.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert INFORMANT in html and CONTACT in html


@pytest.mark.parametrize("who", MASKED)
def test_others_see_the_petition_masked(client, petitions, people, who):
    petition = petitions.clarified()
    user = getattr(people, who)
    page = _get(client, user, reverse("clarifications:petition", args=[petition.petition_id]))
    assert page.status_code == 200
    html = page.content.decode()
    assert petition.petition.reference in html
    assert INFORMANT not in html and CONTACT not in html
    assert "●●●" in html
    assert not AuditEvent.objects.filter(action=INFORMANT_READ).exists()


@pytest.mark.parametrize("who", ["handler", *MASKED])
def test_the_list_names_no_informant_even_to_the_handling_staff(client, petitions, people, who):
    petition = petitions.clarified()
    page = _get(client, getattr(people, who), reverse("clarifications:list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert petition.petition.reference in html
    assert INFORMANT not in html and CONTACT not in html
    assert "具名（详情页可见，仅限承办人员）" in html
    assert not AuditEvent.objects.filter(action=INFORMANT_READ).exists()


def test_showing_the_informant_is_an_audited_read(client, petitions, people):
    petition = petitions.received()
    url = reverse("clarifications:petition", args=[petition.pk])
    _get(client, people.handler, url)
    _get(client, people.handler, url)
    events = list(AuditEvent.objects.filter(action=INFORMANT_READ).order_by("id"))
    assert [(e.actor_id, e.object_id, e.authority_id) for e in events] == [
        (people.handler.pk, str(petition.pk), petition.authority_id)
    ] * 2
    # the audit row names the petition, never the informant
    assert INFORMANT not in str(events[0].__dict__) and CONTACT not in str(events[0].__dict__)


def test_an_anonymous_petition_is_no_audited_read(client, petitions, people):
    petition = petitions.received()
    Petition.objects.filter(pk=petition.pk).update(
        anonymous=True, informant_name="", informant_contact=""
    )
    page = _get(client, people.handler, reverse("clarifications:petition", args=[petition.pk]))
    assert "匿名" in page.content.decode()
    assert not AuditEvent.objects.filter(action=INFORMANT_READ).exists()


def test_the_list_filters_and_pages(client, petitions, people):
    for day in range(1, 56):
        petitions.received(received_on=dt.date(2025, 1, 1) + dt.timedelta(days=day))
    concluded = petitions.concluded(outcome=PetitionOutcome.FOUNDED)
    client.force_login(people.clerk)
    first = client.get(reverse("clarifications:list"))
    assert first.context["count"] == 56
    rows = first.context["page"].rows
    assert len(rows) == 50 and rows[0].pk == concluded.pk  # received 2026-03-02, newest
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("clarifications:list"), {"cursor": cursor})
    assert len(second.context["page"].rows) == 6
    assert second.context["page"].next_cursor is None
    assert {p.pk for p in rows}.isdisjoint(p.pk for p in second.context["page"].rows)
    founded = client.get(reverse("clarifications:list"), {"outcome": "founded"})
    assert [p.pk for p in founded.context["page"].rows] == [concluded.pk]
    in_2025 = client.get(reverse("clarifications:list"), {"year": "2025"})
    assert in_2025.context["count"] == 55
    export = client.get(reverse("clarifications:export"), {"outcome": "founded"})
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and concluded.reference in lines[1]


def test_a_bad_filter_value_is_refused_and_lists_nothing(client, petitions, people):
    petitions.received()
    client.force_login(people.clerk)
    page = client.get(reverse("clarifications:list"), {"outcome": "nonsense"})
    assert page.status_code == 200
    assert page.context["count"] == 0
    assert "所选项无效：nonsense 不在可选范围内，请重新选择。" in page.content.decode()


@pytest.mark.parametrize("who", NOT_FOUND)
def test_outside_the_authority_nothing_is_found(client, petitions, people, who):
    petition = petitions.received()
    user = getattr(people, who)
    detail = reverse("clarifications:petition", args=[petition.pk])
    assert _get(client, user, detail).status_code == 404
    pages = [reverse(n) for n in ("clarifications:list", "clarifications:export",
                                  "clarifications:stats")]
    if who == "city_discipline":  # staff of another authority: their own (empty) register
        for url in pages:
            response = _get(client, user, url)
            assert response.status_code == 200
            assert petition.reference not in response.content.decode("utf-8-sig")
    else:
        for url in pages:
            assert _get(client, user, url).status_code == 404


@pytest.mark.parametrize("who", ["handler", "clerk", "auditor", "admin"])
def test_export_never_carries_the_identity(client, petitions, people, who):
    petitions.clarified()
    response = _get(client, getattr(people, who), reverse("clarifications:export"))
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200
    assert "张三" in body and "XF2026-" in body
    assert INFORMANT not in body and CONTACT not in body


def test_audit_log_page_shows_the_rows_without_the_identity(client, petitions, people):
    petitions.clarified()
    page = _get(client, people.auditor, reverse("audit-log"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "信访举报已登记" in html and "澄清正名已记录" in html
    assert INFORMANT not in html and CONTACT not in html


def test_admin_pages_do_not_show_the_identity(admin_client, petitions):
    petition = petitions.received()
    client = admin_client  # a superuser
    for url in (
        reverse("admin:clarifications_petition_changelist"),
        reverse("admin:clarifications_petition_change", args=[petition.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert INFORMANT not in page.content.decode()


def test_only_handling_staff_may_act(client, petitions, people):
    petition = petitions.received()
    data = {"findings": "查无实据", "explanation": "说明", "opinions": "意见"}
    url = reverse("clarifications:action", args=[petition.pk, "verify"])
    client.force_login(people.clerk)
    assert client.post(url, data).status_code == 404
    client.force_login(people.handler)
    assert client.post(url, data).status_code == 302
    petition.refresh_from_db()
    assert (petition.state, petition.findings) == ("verifying", "查无实据")


def test_register_page_creates_a_petition(client, people, world):
    client.force_login(people.handler)
    response = client.post(reverse("clarifications:new"), {
        "authority": world.county_a_org.pk, "received_on": "2026-02-03", "channel": "online",
        "cadre": world.cadre_a1.pk, "allegations": "反映问题", "informant_name": "钱某",
        "informant_contact": "qian@example.com",
    })
    petition = Petition.objects.get()
    assert response.status_code == 302
    assert (petition.informant_name, petition.cadre, petition.created_by) == (
        "钱某", world.cadre_a1, people.handler,
    )
    client.force_login(people.clerk)
    assert client.get(reverse("clarifications:new")).status_code == 404


def test_notice_is_issued_numbered_and_names_no_informant(
    client, petitions, people, media, tmp_path, django_capture_on_commit_callbacks
):
    clarification = petitions.clarified()
    client.force_login(people.handler)
    url = reverse("clarifications:action", args=[clarification.petition_id, "issue"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert client.post(url).status_code == 302
    # Nothing is issued inside the request: the outbox sends the task after the commit.
    assert not IssuedDocument.objects.exists()
    assert OutboxTask.objects.get().task == "clarifications.tasks.issue_clarification_notice"
    for callback in queued:
        callback()
    # The notice is drafted (no number), checked by a second staff member, signed off by
    # the approving leader; only then issued. The page links the draft, offers no new issue.
    assert not IssuedDocument.objects.exists()
    draft = DocumentDraft.objects.get()
    page = client.get(reverse("clarifications:petition", args=[clarification.petition_id]))
    assert page.context["notice_draft"] == draft and page.context["can_issue"] is False
    draft = draft_transition(draft, actor=people.clerk, action="check")
    with django_capture_on_commit_callbacks(execute=True):
        draft_transition(draft, actor=people.leader, action="sign")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302  # again: the same document, no new number
    document = IssuedDocument.objects.get()
    assert DocumentDraft.objects.get().document == document
    clarification.refresh_from_db()
    assert clarification.document == document
    assert (document.number, document.kind, document.cadre_id) == (
        f"甲组澄〔{document.issued_on.year}〕1号", "clarification_notice", people.cadre.cadre_id,
    )
    download = reverse("documents:download", args=[document.pk])
    for user in (people.cadre, people.clerk, people.auditor):
        client.force_login(user)
        assert client.get(download).status_code == 200
    for user in (people.hr, people.outsider, people.city_discipline):
        client.force_login(user)
        assert client.get(download).status_code == 404
    client.force_login(people.cadre)
    content = client.get(download).content
    assert_official(content, letter=True)  # GB/T 9704 信函格式, from official.html
    flat = flat_text(content)
    assert "张三" in flat and document.number in flat and "澄清" in flat
    assert INFORMANT not in flat and CONTACT not in flat


def test_timeline_shows_clarifications_to_those_allowed(client, petitions, people, world, flow):
    from tolerance.enums import Outcome

    case = flow.decided(outcome=Outcome.EXEMPT)
    petitions.clarified(held_on=dt.date(2026, 4, 1))
    url = reverse("register:timeline", args=[world.cadre_a1.pk])
    for user in (people.cadre, people.hr, people.clerk, people.auditor):
        html = _get(client, user, url).content.decode()
        assert "2026-04-01" in html and "澄清正名大会" in html
        # Tolerance conclusions follow the tolerance permissions: unit HR did not file it.
        assert (case.reference in html) is (user != people.hr)
        assert INFORMANT not in html
    other = reverse("register:timeline", args=[world.cadre_b1.pk])
    assert _get(client, people.cadre, other).status_code == 404
    assert _get(client, people.outsider, url).status_code == 404
    detail = _get(client, people.cadre, reverse("cadres:detail", args=[world.cadre_a1.pk]))
    assert url in detail.content.decode()


def test_statistics_per_year_and_authority(client, petitions, people):
    petitions.clarified(held_on=dt.date(2026, 4, 1))
    petitions.clarified(held_on=dt.date(2025, 12, 30), received_on=dt.date(2025, 11, 1),
                        concluded_on=dt.date(2025, 12, 1))
    petitions.clarified(PetitionOutcome.FALSE_ACCUSATION, held_on=dt.date(2026, 6, 1))
    petitions.concluded(PetitionOutcome.FALSE_ACCUSATION, concluded_on=dt.date(2025, 7, 1))
    page = _get(client, people.auditor, reverse("clarifications:stats"))
    rows = [(r.year, r.authority, r.clarifications, r.false_accusations)
            for r in page.context["rows"]]
    assert rows == [
        (2026, "中共甲县县委组织部", 2, 1),
        (2025, "中共甲县县委组织部", 1, 1),
    ]


def _pages_queries(client, user, petitions, n, django_assert_max_num_queries, url):
    for _i in range(n):
        petitions.clarified()
    client.force_login(user)
    client.get(url)  # warm the session and the user
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


EXPECTED_QUERIES = {"clarifications:list": 10, "clarifications:stats": 8}


@pytest.mark.parametrize("name", ["clarifications:list", "clarifications:stats"])
def test_list_and_statistics_queries_do_not_grow(client, petitions, people, name):
    url = reverse(name)
    small = _pages_queries(client, people.clerk, petitions, 1, None, url)
    large = _pages_queries(client, people.clerk, petitions, 5, None, url)
    assert small == large == EXPECTED_QUERIES[name]


def test_the_excel_export_queries_do_not_grow(client, petitions, people):
    import io

    import openpyxl

    url = reverse("clarifications:export-xlsx")
    small = _pages_queries(client, people.clerk, petitions, 1, None, url)
    large = _pages_queries(client, people.clerk, petitions, 5, None, url)
    # session, user, roles, authorities; the petitions; the audit row (savepoint, insert,
    # release)
    assert small == large == XLSX_EXPORT_QUERIES
    response = client.get(url, {"sort": "reference"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active.max_row - 1 == 6


XLSX_EXPORT_QUERIES = 9


def test_petitions_searched_sorted_and_exported_rows_equal_the_page(client, petitions, people):
    import io

    import openpyxl

    from core.models import AuditEvent

    first = petitions.received()
    second = petitions.clarified().petition
    client.force_login(people.clerk)
    listed = client.get(reverse("clarifications:list"), {"q": "zs", "sort": "reference"})
    page = [p.reference for p in listed.context["page"].rows]
    assert page == sorted([first.reference, second.reference])
    assert client.get(reverse("clarifications:list"), {"q": first.reference}).context[
        "count"
    ] == 1
    assert client.get(reverse("clarifications:list"), {"q": "ww"}).context["count"] == 0
    response = client.get(
        reverse("clarifications:export-xlsx"), {"q": "zs", "sort": "reference"}
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[0][:3] == ["编号", "承办机关", "收到日期"]
    assert [r[0] for r in rows[1:]] == page
    assert INFORMANT not in str(rows) and CONTACT not in str(rows)
    event = AuditEvent.objects.get(action="clarifications.petition.export")
    assert event.after == {"filters": {"q": "zs", "sort": "reference"}}
