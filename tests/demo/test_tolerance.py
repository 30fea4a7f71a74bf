"""The demo tolerance cases: seeded through the services, in several states, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from core.enums import Role
from core.models import IssuedDocument, User
from demo.tolerance import COUNTY_STAFF
from tolerance.models import Appeal, Case, Meeting, Remedy

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
    call_command("seed_demo", stdout=io.StringIO())  # the size scripts/dev.sh seeds
    return settings


def seed_cases() -> str:
    out = io.StringIO()
    call_command("seed_demo_cases", stdout=out)
    return out.getvalue()


def test_seed_demo_cases_walks_cases_into_several_states(demo):
    output = seed_cases()
    assert sorted(Case.objects.exclude(authority__name="中共蓝田县委组织部").values_list(
        "state", flat=True)) == [
        "appealed", "deliberating", "deliberating", "fed_back", "fed_back", "investigating",
        "investigating", "submitted",
    ]
    # and the second province's one case, under 陕西省's measure
    lantian = Case.objects.get(authority__name="中共蓝田县委组织部")
    assert (lantian.state, lantian.policy_version.jurisdiction_code) == ("fed_back", "61")
    assert "陕西省 → 西安市 → 蓝田县" in output
    cadre = User.objects.get(username="cadre")
    mine = Case.objects.filter(entries__cadre=cadre.cadre_id).order_by("id")
    assert list(mine.values_list("state", flat=True)) == ["submitted", "deliberating",
                                                          "fed_back"]
    assert Meeting.objects.filter(case__state="deliberating").count() == 2
    assert Appeal.objects.get().reviewer.username == "county_reviewer"
    assert IssuedDocument.objects.filter(kind="tolerance_ruling").count() == 5
    assert Remedy.objects.count() == 2
    for username, role, _name in COUNTY_STAFF:
        user = User.objects.get(username=username)
        assert user.has_role(role) and user.check_password("Jinan-demo-2026")
        assert username in output
    assert User.objects.get(username="county_leader").has_role(Role.APPROVING_LEADER)


def test_seed_demo_cases_runs_once(demo):
    seed_cases()
    assert "nothing changed" in seed_cases()
    assert Case.objects.count() == 9  # eight of Jinan's, one of 陕西省's


def test_seed_demo_cases_needs_the_demo_logins(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="seed_demo"):
        seed_cases()


def test_seed_demo_cases_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        seed_cases()
