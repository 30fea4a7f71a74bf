"""The document tasks: run twice or after a crash, they leave one document and no gap.

The cases are decided through the services with the tasks' delivery switched off, so that
each test runs the task itself (eagerly, with `.apply()`, as a worker would run it).
"""

from __future__ import annotations

import logging

import pytest
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from core.models import AuditEvent, DocumentSequence, IssuedDocument
from tolerance import rulings, tasks
from tolerance.appeals import appeal_assign_reviewer, appeal_decide, appeal_file
from tolerance.enums import CaseState, Outcome
from tolerance.feedback import case_feed_back
from tolerance.models import Case, CaseCadre

# These tests exercise the ruling task itself: no drafts to sign off first.
pytestmark = pytest.mark.usefixtures("no_signoff")


YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


class Renders:
    """Counts the PDF renders of tolerance.rulings; can fail the first ones."""

    def __init__(self, monkeypatch, fail_with: list[BaseException] | None = None):
        self.numbers: list[str] = []
        self.fail_with = list(fail_with or [])
        real = rulings.render_pdf

        def render_pdf(template_name, context):
            self.numbers.append(context["number"])
            if self.fail_with:
                raise self.fail_with.pop(0)
            return real(template_name, context)

        monkeypatch.setattr(rulings, "render_pdf", render_pdf)


@pytest.fixture
def undelivered(monkeypatch):
    """Decided cases whose rulings task has not run (its delivery is switched off)."""
    sent = []
    monkeypatch.setattr(
        tasks.issue_rulings, "apply_async", lambda args=(), *a, **kw: sent.append(tuple(args))
    )
    return sent


@pytest.fixture
def decided(flow, undelivered) -> Case:
    case = flow.decided()
    assert undelivered == [(case.pk,)]  # the decision enqueued the task after the commit
    assert case.state == CaseState.DECIDED
    return case


def messages(caplog, logger: str) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == logger]


def rulings_of(case):
    return list(IssuedDocument.objects.filter(kind="tolerance_ruling", object_id=case.pk))


def ruling_sequence() -> int:
    sequence = DocumentSequence.objects.filter(series="容").first()
    return sequence.last_number if sequence is not None else 0


@pytest.mark.django_db
def test_ruling_task_run_twice_gives_one_document_one_number(decided, monkeypatch):
    renders = Renders(monkeypatch)
    first = tasks.issue_rulings.apply(args=[decided.pk]).get()
    second = tasks.issue_rulings.apply(args=[decided.pk]).get()
    [document] = rulings_of(decided)
    assert first == second == [document.pk]
    assert document.number == f"甲组容〔{YEAR}〕1号"
    assert renders.numbers == [f"甲组容〔{YEAR}〕1号"]  # the second run rendered nothing
    assert ruling_sequence() == 1
    assert Case.objects.get(pk=decided.pk).state == CaseState.RULING_ISSUED
    assert AuditEvent.objects.filter(action="tolerance.case.issue_rulings").count() == 1
    assert (
        AuditEvent.objects.filter(action="document.issue", object_id=str(document.pk)).count() == 1
    )


@pytest.mark.django_db
def test_acceptance_notice_task_run_twice_gives_one_document(flow, monkeypatch):
    case = flow.accepted()  # the notice task ran after the acceptance committed
    [notice] = IssuedDocument.objects.filter(kind="acceptance_notice")
    renders = Renders(monkeypatch)
    again = tasks.issue_case_notice.apply(args=[case.pk, "acceptance_notice"]).get()
    assert again == notice.pk
    assert renders.numbers == []
    assert notice.number == f"甲组容受〔{YEAR}〕1号"
    assert DocumentSequence.objects.get(series="容受").last_number == 1


@pytest.mark.django_db
def test_crash_while_rendering_a_ruling_consumes_no_number(decided, monkeypatch, media):
    files = set(media.rglob("*"))
    renders = Renders(monkeypatch, fail_with=[RuntimeError("worker died while rendering")])
    with pytest.raises(RuntimeError, match="worker died while rendering"):
        tasks.issue_rulings.apply(args=[decided.pk]).get()
    assert renders.numbers == [f"甲组容〔{YEAR}〕1号"]  # the number was allocated, then
    assert rulings_of(decided) == []  # rolled back with everything else
    assert ruling_sequence() == 0
    assert set(media.rglob("*")) == files  # no file left behind
    assert Case.objects.get(pk=decided.pk).state == CaseState.DECIDED

    [document_id] = tasks.issue_rulings.apply(args=[decided.pk]).get()  # redelivered
    document = IssuedDocument.objects.get(pk=document_id)
    assert document.number == f"甲组容〔{YEAR}〕1号"
    assert ruling_sequence() == 1
    assert Case.objects.get(pk=decided.pk).state == CaseState.RULING_ISSUED


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OSError("disk full"), OperationalError("server closed")])
def test_transient_failure_is_retried_without_a_gap(decided, monkeypatch, error):
    renders = Renders(monkeypatch, fail_with=[error])
    # A worker schedules the retry; applied eagerly without throwing, it runs again at once.
    result = tasks.issue_rulings.apply(args=[decided.pk], throw=False)
    [document] = rulings_of(decided)
    assert result.get() == [document.pk]
    assert renders.numbers == [f"甲组容〔{YEAR}〕1号", f"甲组容〔{YEAR}〕1号"]
    assert document.number == f"甲组容〔{YEAR}〕1号"


@pytest.mark.django_db
def test_retries_are_bounded_with_backoff():
    for task in (tasks.issue_rulings, tasks.issue_case_notice, tasks.issue_appeal_decision):
        assert (task.max_retries, task.retry_backoff, task.retry_backoff_max) == (5, 5, 300)
        assert (task.retry_jitter, task.acks_late) == (True, True)
        assert set(task.autoretry_for) == {OSError, OperationalError, InterfaceError}


@pytest.mark.django_db
def test_permanent_failure_is_not_retried(decided, monkeypatch):
    renders = Renders(monkeypatch, fail_with=[ValueError("bad template")])
    with pytest.raises(ValueError, match="bad template"):
        tasks.issue_rulings.apply(args=[decided.pk]).get()
    assert len(renders.numbers) == 1


@pytest.mark.django_db
def test_tasks_for_objects_that_are_gone_do_nothing(caplog):
    with caplog.at_level(logging.WARNING, logger="tolerance.tasks"):
        assert tasks.issue_rulings.apply(args=[987654]).get() == []
        assert tasks.issue_case_notice.apply(args=[987654, "acceptance_notice"]).get() is None
        assert tasks.issue_appeal_decision.apply(args=[987654]).get() is None
    assert messages(caplog, "tolerance.tasks") == [
        "tolerance.tasks.issue_rulings: Case 987654 no longer exists; nothing to do",
        "tolerance.tasks.issue_case_notice: Case 987654 no longer exists; nothing to do",
        "tolerance.tasks.issue_appeal_decision: Appeal 987654 no longer exists; nothing to do",
    ]
    assert not IssuedDocument.objects.exists()


@pytest.mark.django_db
def test_no_ruling_before_every_cadre_is_decided(flow, caplog):
    case = flow.deliberating()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="tolerance.rulings"):
        assert tasks.issue_rulings.apply(args=[case.pk]).get() == []
    assert messages(caplog, "tolerance.rulings") == [
        f"No rulings are due for case {case.pk} (state deliberating)"
    ]
    assert not IssuedDocument.objects.filter(kind="tolerance_ruling").exists()


@pytest.mark.django_db
def test_notices_only_when_due(flow):
    submitted = flow.submitted()
    assert tasks.issue_case_notice.apply(args=[submitted.pk, "acceptance_notice"]).get() is None
    accepted = flow.accepted()
    kind = "non_acceptance_notice"
    assert tasks.issue_case_notice.apply(args=[accepted.pk, kind]).get() is None
    assert list(IssuedDocument.objects.values_list("kind", "object_id")) == [
        ("acceptance_notice", accepted.pk)
    ]
    with pytest.raises(ValueError, match="not a case notice: 'tolerance_ruling'"):
        rulings.issue_case_notice(accepted.pk, "tolerance_ruling")


@pytest.mark.django_db
def test_appeal_decision_task_run_twice_gives_one_document(
    flow, staff, monkeypatch, django_capture_on_commit_callbacks
):
    case = case_feed_back(flow.decided(outcome=Outcome.LIGHTER), actor=staff.clerk,
                          method="in_person", delivered_on=timezone.localdate())
    appeal = appeal_file(CaseCadre.objects.get(case=case), actor=staff.cadre, reason="请复核")
    appeal = appeal_assign_reviewer(appeal, actor=staff.leader, reviewer=staff.reviewer)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        appeal_decide(appeal, actor=staff.reviewer, new_outcome=Outcome.EXEMPT, reason="理由")
    assert len(callbacks) >= 1
    [decision] = IssuedDocument.objects.filter(kind="appeal_decision")
    renders = Renders(monkeypatch)
    assert tasks.issue_appeal_decision.apply(args=[appeal.pk]).get() == decision.pk
    assert renders.numbers == []
    assert decision.number == f"甲组容复〔{YEAR}〕1号"
