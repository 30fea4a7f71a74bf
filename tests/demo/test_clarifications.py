"""The demo petitions: seeded through the services, in every stage, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from clarifications.models import Clarification, Petition, PreventionFiling
from core.models import AuditEvent, IssuedDocument, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DEBUG = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    call_command("seed_demo", stdout=io.StringIO())
    return settings


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo_petitions", stdout=out)
    return out.getvalue()


def test_seeds_petitions_in_every_stage_once(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the notice's task, queued
        output = seed()
    petitions = list(Petition.objects.order_by("id"))
    # Numbered by id (XF<year>-<id>): the ids follow the database's sequence, which other
    # tests on the same PostgreSQL worker have advanced.
    assert [p.reference[7:] for p in petitions] == [f"{p.pk:05d}" for p in petitions]
    assert [(p.state, p.outcome, p.anonymous) for p in petitions] == [
        ("concluded", "unfounded", False),
        ("concluded", "false_accusation", False),
        ("verifying", "", True),
        ("received", "", False),
    ]
    assert "Seeded 4 petitions" in output
    clarification = Clarification.objects.get()
    assert clarification.method == "rehabilitation_meeting"
    assert IssuedDocument.objects.filter(pk=clarification.document_id).count() == 1
    assert Petition.objects.get(outcome="false_accusation").accuser_result.startswith("市纪委监委")
    assert PreventionFiling.objects.count() == 1
    handler = User.objects.get(username="investigator")
    audited = AuditEvent.objects.filter(actor=handler, action__startswith="clarifications.")
    assert audited.count() == 13  # with the request for the clarification notice

    assert "nothing changed" in seed()
    assert Petition.objects.count() == 4


def test_refuses_without_the_demo_logins(db):
    with pytest.raises(CommandError, match="seed_demo"):
        seed()
