"""Clarification personas, a builder of petitions through the services, and the tolerance
`staff`/`flow` fixtures (re-exported) for the chains into tolerance cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from clarifications import services
from clarifications.enums import Channel, ClarificationMethod, PetitionOutcome
from core.enums import Role
from core.models import User
from tests.factories import make_user
from tests.tolerance.conftest import flow, staff  # noqa: F401  (fixtures)

INFORMANT = "赵举报人"
CONTACT = "13900001111"


@dataclass
class People:
    handler: User  # investigator, county A org dept: handling staff
    discipline_a: User  # discipline staff working for county A org dept too: handling staff
    clerk: User  # intake clerk, county A: masked
    leader: User  # approving leader, county A: masked
    auditor: User  # auditor of county A: masked
    admin: User  # administrator: masked
    city_discipline: User  # discipline staff of the city commission: another authority
    cadre: User  # 张三 himself
    hr: User  # unit HR of township A1
    outsider: User


@pytest.fixture
def people(world, staff) -> People:  # noqa: F811  (staff's cadre user is reused)
    a = [world.county_a_org]
    return People(
        handler=make_user("c_handler", Role.INVESTIGATOR, authorities=a),
        discipline_a=make_user("c_disc_a", Role.DISCIPLINE_STAFF, authorities=a),
        clerk=make_user("c_clerk", Role.INTAKE_CLERK, authorities=a),
        leader=make_user("c_leader", Role.APPROVING_LEADER, authorities=a),
        auditor=make_user("c_auditor", Role.AUDITOR, authorities=a),
        admin=make_user("c_admin", Role.ADMIN),
        city_discipline=make_user(
            "c_disc_city", Role.DISCIPLINE_STAFF, authorities=[world.city_discipline]
        ),
        cadre=staff.cadre,
        hr=staff.hr,
        outsider=staff.outsider,
    )


class Petitions:
    """Walks a petition through registration, verification, outcome and clarification."""

    def __init__(self, world, people: People):
        self.world, self.people = world, people

    def received(self, *, cadre=None, matter=None, received_on=dt.date(2026, 3, 2)):
        return services.petition_create(
            actor=self.people.handler,
            authority=self.world.county_a_org,
            received_on=received_on,
            channel=Channel.LETTER,
            cadre=cadre or self.world.cadre_a1,
            matter=matter,
            allegations="反映其在项目招标中违规操作。",
            informant_name=INFORMANT,
            informant_contact=CONTACT,
        )

    def verified(self, **kw):
        petition = self.received(**kw)
        return services.petition_record_verification(
            petition,
            actor=self.people.handler,
            explanation_heard_on=dt.date(2026, 3, 10),
            explanation="招标程序经集体研究，全程公开。",
            opinions="走访项目单位及班子成员五人。",
            findings="反映问题与事实不符。",
        )

    def concluded(self, outcome=PetitionOutcome.UNFOUNDED, concluded_on=dt.date(2026, 3, 20),
                  **kw):
        petition = self.verified(**kw)
        referred = "县纪委监委" if outcome in ("founded", "false_accusation") else ""
        return services.petition_conclude(
            petition, actor=self.people.handler, outcome=outcome, concluded_on=concluded_on,
            reason="经核查，反映问题查无实据。", referred_to=referred,
        )

    def clarified(self, outcome=PetitionOutcome.UNFOUNDED, held_on=dt.date(2026, 4, 1), **kw):
        petition = self.concluded(outcome, **kw)
        clarification = services.clarification_record(
            petition, actor=self.people.handler, method=ClarificationMethod.REHABILITATION_MEETING,
            held_on=held_on, scope="甲县城关镇领导班子及中层干部",
            attendees="镇党委班子成员、中层干部40人",
            content="经核查，反映张三同志在项目招标中违规操作问题查无实据，予以澄清正名。",
        )
        return clarification


@pytest.fixture
def petitions(world, people) -> Petitions:
    return Petitions(world, people)


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"
