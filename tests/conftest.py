"""Shared fixtures: a small province slice with two authorities and personas.

Under CI=true a test that needs PostgreSQL or Redis fails instead of skipping.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.db import connection

from cadres.enums import AuthorityKind, ManagementLevel, UnitKind
from cadres.models import Authority, Cadre, Unit
from core.enums import Role
from core.models import User
from tests.policy_support import publish_county_measures

from .factories import CadreFactory, make_authority, make_unit, make_user

pytest_plugins = ["tests.ci_guard"]

IN_CI = os.environ.get("CI", "").lower() == "true"


def _need(reason: str) -> None:
    """Fail under CI=true (CI must never skip); skip only on a developer's machine."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    else:
        pytest.skip(reason)


def pytest_runtest_setup(item):
    scheme = os.environ.get("DATABASE_URL", "").partition("://")[0]
    if item.get_closest_marker("postgres") and scheme not in ("postgres", "postgresql", "pgsql"):
        _need("this test needs PostgreSQL (set DATABASE_URL=postgres://...)")
    if item.get_closest_marker("redis") and not os.environ.get("CELERY_BROKER_URL"):
        _need("this test needs Redis (set CELERY_BROKER_URL=redis://...)")


@pytest.fixture
def on_postgres(db):
    if connection.vendor != "postgresql":
        _need("this test needs PostgreSQL")


@dataclass
class World:
    """city ─┬─ county A ─ township A1     (county A org dept: county-managed cadres)
    ├─ county B ─ township B1     (city org dept: city-managed, whole city)
    └─ city bureau                (city discipline commission: whole city)"""

    city: Unit
    county_a: Unit
    township_a1: Unit
    county_b: Unit
    township_b1: Unit
    bureau: Unit
    city_org: Authority
    county_a_org: Authority
    city_discipline: Authority
    cadre_a1: Cadre  # county-managed, township A1
    cadre_b1: Cadre  # county-managed, township B1 (outside county A's reach)
    cadre_city: Cadre  # city-managed, city bureau


@pytest.fixture
def world(db) -> World:
    city = make_unit("济南市", kind=UnitKind.CITY, code="3701")
    county_a = make_unit("甲县", kind=UnitKind.COUNTY, parent=city, code="370124")
    township_a1 = make_unit("甲县城关镇", kind=UnitKind.TOWNSHIP, parent=county_a, code="37012401")
    county_b = make_unit("乙区", kind=UnitKind.URBAN_DISTRICT, parent=city, code="370102")
    township_b1 = make_unit(
        "乙区大明湖街道", kind=UnitKind.TOWNSHIP, parent=county_b, code="37010201"
    )
    bureau = make_unit("市发展改革委", kind=UnitKind.DEPARTMENT, parent=city, code="3701D01")
    for unit in (city, county_a, township_a1, county_b, township_b1, bureau):
        unit.refresh_from_db()
    publish_county_measures(county_a, county_b)
    city_org = make_authority(
        "中共济南市委组织部", roots=[city], levels=[ManagementLevel.CITY], short_name="济组"
    )
    county_a_org = make_authority(
        "中共甲县县委组织部", roots=[county_a], levels=[ManagementLevel.COUNTY], short_name="甲组"
    )
    city_discipline = make_authority(
        "济南市纪委监委",
        roots=[city],
        levels=[ManagementLevel.CITY, ManagementLevel.COUNTY],
        kind=AuthorityKind.DISCIPLINE,
        short_name="济纪",
    )
    return World(
        city=city,
        county_a=county_a,
        township_a1=township_a1,
        county_b=county_b,
        township_b1=township_b1,
        bureau=bureau,
        city_org=city_org,
        county_a_org=county_a_org,
        city_discipline=city_discipline,
        cadre_a1=CadreFactory(name="张三", unit=township_a1),
        cadre_b1=CadreFactory(name="李四", unit=township_b1),
        cadre_city=CadreFactory(name="王五", unit=bureau, management_level=ManagementLevel.CITY),
    )


@dataclass
class Personas:
    admin: User
    clerk_a: User  # intake clerk, county A org dept
    clerk_city: User  # intake clerk, city org dept
    discipline: User  # discipline staff, city commission
    hr_a1: User  # unit HR, township A1
    cadre_a1: User  # the cadre 张三 himself
    auditor: User  # auditor of county A org dept
    outsider: User  # logged in, no role, no scope


@pytest.fixture
def personas(world: World) -> Personas:
    admin = make_user("admin", Role.ADMIN)
    return Personas(
        admin=admin,
        clerk_a=make_user("clerk_a", Role.INTAKE_CLERK, authorities=[world.county_a_org]),
        clerk_city=make_user("clerk_city", Role.INTAKE_CLERK, authorities=[world.city_org]),
        discipline=make_user(
            "discipline", Role.DISCIPLINE_STAFF, authorities=[world.city_discipline]
        ),
        hr_a1=make_user("hr_a1", Role.UNIT_HR, unit=world.township_a1),
        cadre_a1=make_user("cadre_a1", Role.CADRE, cadre=world.cadre_a1),
        auditor=make_user("auditor", Role.AUDITOR, authorities=[world.county_a_org]),
        outsider=make_user("outsider"),
    )


INTERNAL_LABELS = ("默认",)


@pytest.fixture(autouse=True)
def site_language():
    """Every test starts in the site's language: a request in English (the language cookie,
    a user's choice) activates English for the thread, and the next test on the same worker
    must not inherit it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def documents_cite_no_internal_label(monkeypatch):
    """Every document any test renders (core.pdf.render_pdf: rulings, notices, proposals,
    appointment forms, ...) is checked: an internal policy label such as 默认 never reaches
    a document's text."""
    import core.pdf

    real = core.pdf.html_to_pdf

    def checked(html: str, **kwargs) -> bytes:
        for label in INTERNAL_LABELS:
            assert label not in html, f"a document's text contains the internal label {label}"
        return real(html, **kwargs)

    monkeypatch.setattr(core.pdf, "html_to_pdf", checked)


@pytest.fixture
def no_signoff(settings):
    """Rulings issued by their task at once, with no draft to check and sign off (settings
    DOCUMENT_SIGNOFF_KINDS empty): for tests of the issuing task itself (outbox, workers,
    retries), which core.tasks.issue_draft shares once a draft is signed off."""
    settings.DOCUMENT_SIGNOFF_KINDS = []
    return settings


@pytest.fixture
def cached(settings):
    """The cross-request access cache on, as in production (cadres.access.remembered);
    tests otherwise run with it off. Emptied before and after."""
    from django.core.cache import cache

    settings.ACCESS_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()
