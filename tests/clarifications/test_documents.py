"""The clarification notice (clarifications.documents): its title and context, the request
that queues its issue through the outbox, and the issue itself, once, never naming the
informant."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from clarifications import documents
from clarifications.errors import ClarificationError
from clarifications.models import Clarification, Petition
from core.models import AuditEvent, DocumentDraft, IssuedDocument, OutboxTask
from core.pdf import letterhead_size

pytestmark = pytest.mark.django_db


def test_the_title_names_the_cadre(petitions):
    assert documents.notice_title(petitions.clarified()) == "关于张三同志有关问题的澄清通报"


def test_the_context_describes_the_clarification_without_a_second_lead(petitions, settings):
    settings.SITE_URL = "https://gb.example.cn/"
    clarification = petitions.clarified()
    Clarification.objects.filter(pk=clarification.pk).update(
        content="核查结论：反映问题查无实据，予以澄清。"
    )
    clarification.refresh_from_db()
    context = documents.notice_context(clarification)
    assert {
        key: context[key]
        for key in (
            "subject_name",
            "subject_unit",
            "subject_position",
            "method",
            "outcome",
            "is_false_accusation",
            "verify_url",
            "content",
            "letterhead_size",
        )
    } == {
        "subject_name": "张三",
        "subject_unit": "甲县城关镇",
        "subject_position": "科员",
        "method": "澄清正名大会",
        "outcome": clarification.petition.get_outcome_display(),
        "is_false_accusation": False,
        "verify_url": "https://gb.example.cn/documents/verify/",
        "content": "反映问题查无实据，予以澄清。",
        "letterhead_size": letterhead_size("中共甲县县委组织部"),
    }
    assert context["authority"] == clarification.petition.authority


def test_a_unit_reported_on_has_no_cadre_unit_or_position(petitions, world):
    clarification = petitions.clarified()
    Petition.objects.filter(pk=clarification.petition_id).update(cadre=None, unit=world.township_a1)
    clarification = Clarification.objects.get(pk=clarification.pk)
    context = documents.notice_context(clarification)
    assert (context["subject_name"], context["subject_unit"], context["subject_position"]) == (
        "甲县城关镇",
        "",
        "",
    )
    assert documents.notice_title(clarification) == "关于甲县城关镇有关问题的澄清通报"


def test_only_the_handling_staff_ask_for_the_notice(petitions, people):
    clarification = petitions.clarified()
    for user in (people.clerk, people.leader, people.city_discipline):
        with pytest.raises(ClarificationError):
            documents.clarification_issue_notice(clarification, actor=user)
    assert not OutboxTask.objects.exists()
    assert not AuditEvent.objects.filter(action="clarifications.notice.request").exists()


def test_asking_queues_the_task_and_is_audited(
    petitions, people, django_capture_on_commit_callbacks
):
    clarification = petitions.clarified()
    with django_capture_on_commit_callbacks(execute=False):
        documents.clarification_issue_notice(clarification, actor=people.handler)
    task = OutboxTask.objects.get()
    assert (task.task, task.kwargs) == (
        "clarifications.tasks.issue_clarification_notice",
        {"clarification_id": clarification.pk, "actor_id": people.handler.pk},
    )
    event = AuditEvent.objects.get(action="clarifications.notice.request")
    assert (event.actor, event.object_id, event.after) == (
        people.handler,
        str(clarification.pk),
        {"petition": clarification.petition_id},
    )


def test_a_missing_clarification_issues_nothing(people):
    assert documents.issue_notice(999999, actor=people.handler) is None
    assert not DocumentDraft.objects.exists()


def test_the_notice_is_drafted_for_a_sign_off(petitions, people):
    clarification = petitions.clarified()
    assert documents.issue_notice(clarification.pk, actor=people.handler) is None
    draft = DocumentDraft.objects.get()
    assert (draft.kind, draft.object_id, draft.cadre_id, draft.title) == (
        "clarification_notice",
        clarification.pk,
        clarification.petition.cadre_id,
        "关于张三同志有关问题的澄清通报",
    )
    assert documents.draft_recipients(draft) == [people.cadre]
    assert documents.draft_page(draft) == reverse(
        "clarifications:petition", args=[clarification.petition_id]
    )
    draft.cadre_id = None
    assert documents.draft_recipients(draft) == []
    assert not IssuedDocument.objects.exists()


def test_without_a_sign_off_the_notice_is_issued_once_and_linked(
    petitions, people, settings, media
):
    settings.DOCUMENT_SIGNOFF_KINDS = []
    clarification = petitions.clarified()
    document = documents.issue_notice(clarification.pk, actor=people.handler)
    assert document.number == f"甲组澄〔{document.issued_on.year}〕1号"
    assert document.filename == f"{document.number}-关于张三同志有关问题的澄清通报.pdf"
    clarification.refresh_from_db()
    assert clarification.document == document
    assert documents.issue_notice(clarification.pk, actor=people.handler) == document
    assert IssuedDocument.objects.count() == 1


def _notice_paragraphs(clarification) -> list[str]:
    context = documents.notice_context(clarification)
    html = render_to_string(
        documents.TEMPLATE,
        {
            **context,
            "number": "甲组澄〔2026〕1号",
            "issued_on": None,
            "title": documents.notice_title(clarification),
        },
    )
    body = html.split("<p>")[1:]
    return [re.sub(r"<[^>]+>|\s+", "", part.split("</p>")[0]) for part in body]


def test_a_cadre_notice_says_the_matter_does_not_affect_the_comrades_career(petitions):
    clarification = petitions.clarified()
    assert [p for p in _notice_paragraphs(clarification) if "不影响" in p] == [
        "2026年4月1日，以澄清正名大会方式在甲县城关镇领导班子及中层干部范围内予以澄清正名。"
        "该问题不影响其考核评价、评先评优、选拔任用和职级晋升。"
    ]


def test_a_unit_notice_speaks_of_the_unit_not_of_a_comrades_promotion(petitions, world):
    clarification = petitions.clarified()
    Petition.objects.filter(pk=clarification.petition_id).update(cadre=None, unit=world.township_a1)
    clarification = Clarification.objects.get(pk=clarification.pk)
    assert [p for p in _notice_paragraphs(clarification) if "不影响" in p] == [
        "2026年4月1日，以澄清正名大会方式在甲县城关镇领导班子及中层干部范围内予以澄清正名。"
        "该问题不影响该单位考核评价和评先评优。"
    ]
