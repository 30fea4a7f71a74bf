"""Core models (core.models): a user's roles and authorities, the declared transitions of
drafts and imports, an import's progress, and names that say what a row is.

Append-only audit rows, archived documents, holiday schedules' cleaning and the claim of an
import are tested with their services (test_audit, test_documents, test_workdays,
test_imports)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django_fsm import can_proceed

from core.enums import Role
from core.models import (
    ApiToken,
    AuditEvent,
    DocumentDraft,
    DraftState,
    ImportJob,
    ImportState,
    Notification,
    OutboxTask,
    User,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_roles_come_from_groups_and_a_superuser_is_an_administrator(world):
    clerk = make_user("m_clerk", Role.INTAKE_CLERK, Role.AUDITOR)
    assert clerk.roles == {Role.INTAKE_CLERK, Role.AUDITOR}
    assert clerk.has_role(Role.ADMIN, Role.AUDITOR) is True
    assert clerk.has_role(Role.ADMIN) is False
    assert clerk.is_administrator is False
    root = User.objects.create_superuser("m_root", password="pw-Secret-123")
    assert (root.roles, root.is_administrator) == ({Role.ADMIN}, True)


def test_an_inactive_user_has_no_role():
    user = make_user("m_gone", Role.ADMIN)
    user.is_active = False
    assert (user.roles, user.is_administrator) == (frozenset(), False)


def test_roles_and_authorities_are_read_once_per_user(world, django_assert_num_queries):
    user = make_user("m_staff", Role.INVESTIGATOR, authorities=[world.county_a_org])
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(2):
        assert user.authority_ids == {world.county_a_org.pk}
        assert user.roles == {Role.INVESTIGATOR}
        assert user.has_role(Role.INVESTIGATOR) and user.authority_ids  # cached: no query
    user.groups.add(Group.objects.get_or_create(name=Role.ADMIN)[0])
    assert User.objects.get(pk=user.pk).is_administrator is True


def test_a_user_is_named_by_full_name_else_username():
    assert str(User(username="zhangsan", full_name="张三")) == "张三"
    assert str(User(username="zhangsan")) == "zhangsan"


def test_drafts_go_drafted_checked_signed_issued_and_only_forward():
    draft = DocumentDraft(title="澄清通报")
    assert draft.state == DraftState.DRAFTED
    steps = [draft.mark_checked, draft.sign_off, draft.mark_issued]
    for step, state in zip(steps, ("checked", "signed", "issued"), strict=True):
        assert [can_proceed(s) for s in steps] == [s is step for s in steps]
        step()
        assert draft.state == state
    assert [can_proceed(s) for s in steps] == [False, False, False]
    assert str(draft) == "澄清通报 (已印发)"
    assert DraftState.open_states() == {"drafted", "checked", "signed"}


def test_imports_go_queued_running_done_expired_or_fail():
    job = ImportJob(pk=4)
    assert ImportState.active() == ("queued", "running")
    assert (can_proceed(job.finish), can_proceed(job.fail), can_proceed(job.expire)) == (
        False, True, False,
    )
    job.start()
    job.requeue()
    assert job.state == ImportState.QUEUED
    job.start()
    job.finish()
    assert (job.state, str(job)) == (ImportState.DONE, "import 4 (done)")
    job.expire()
    assert not any(can_proceed(t) for t in (job.start, job.requeue, job.finish, job.fail))


def test_a_job_out_of_attempts_cannot_start():
    job = ImportJob(attempts=ImportJob.MAX_ATTEMPTS)
    assert can_proceed(job.start) is False
    assert can_proceed(job.fail) is True


@pytest.mark.parametrize(
    ("state", "done", "total", "percent"),
    [
        (ImportState.QUEUED, 0, 0, 0),
        (ImportState.RUNNING, 1, 3, 33),
        (ImportState.RUNNING, 5, 3, 100),
        (ImportState.DONE, 0, 0, 100),
        (ImportState.FAILED, 2, 4, 50),
    ],
)
def test_an_imports_progress_in_percent(state, done, total, percent):
    job = ImportJob(done=done, total=total)
    job.__dict__["state"] = state  # the state field is protected: set it as loaded
    assert job.percent == percent


def test_rows_are_named_by_what_they_are():
    at = dt.datetime(2026, 3, 5, 9, 30)
    event = AuditEvent(at=at, actor_repr="周敏", action="cadre.update", object_repr="张三")
    assert str(event) == "2026-03-05 09:30 周敏 cadre.update 张三"
    assert str(OutboxTask(task="core.tasks.issue_draft", args=[7])) == (
        "core.tasks.issue_draft(7,)"
    )
    assert str(Notification(code="case.submitted")) == "case.submitted"
    assert str(ApiToken(prefix="ab12cd34")) == "ab12cd34…"
