"""The URL × role × relation matrix, generated from the URL resolver.

Every URL pattern of the project is walked (config/urls.py and everything it includes), so a
new URL is in the matrix the day it is added. Each pattern is classified by the rules below:

- public: answers anyone (log-in, health check, document verification ...);
- object: its parameters name objects (a cadre, a case, a document, an attachment, a
  notification, a unit, a grade, an incident, a proposal, a petition, a filing, an export),
  in the pages and in the REST API alike, with the same reach for both. For every persona
  and every object the persona must not reach, GET and POST must answer exactly as for an
  object that does not exist (404 for missing and forbidden alike; 405 where the method is
  never allowed). Objects the persona reaches must not give 404 on a read URL, and nothing
  may give a server error;
- collection: no object parameters (none at all, or only values such as a report kind or a
  token); anonymous visitors are sent to log in, and every persona gets exactly the answer
  COLLECTION_ANSWERS gives for it (a page, a 404 for whom it does not exist, a 405 ...).

Each persona stands in one of three relations to each object: its own (the cadre's own
record, case, evidence and grade; the clerk's own notification and export), in its
jurisdiction (REACH), or outside it; test_matrix_covers_every_relation checks that the
objects exercise all three.

A pattern whose parameters no rule explains is "unclassified": test_every_url_is_classified
fails loudly, naming it, until a rule covers it. There is no list of exceptions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.models import Incident, TargetAssessment
from assessments.services.grades import GradeInput, unit_grades_enter
from cadres.enums import PostType, Rank
from clarifications.filings import filing_create
from clarifications.services import petition_create
from core.documents import DocumentKind, document_issue
from core.notifications import notify
from core.register.jobs import export_request
from promotions.models import Proposal
from promotions.scan import scan
from tests.factories import CadreFactory
from tolerance.enums import StartedBy
from tolerance.filing import attachment_add, case_create
from tolerance.models.case import AttachmentKind
from tolerance.workflow import case_transition

PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
MISSING = 987_654_321  # no object has this id


# --- walking the resolver ----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern, e.g. "tolerance/cases/<int:pk>/"
    params: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def walk(patterns=None, prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[Route]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # the Django admin: staff only, see test_admin_site_is_for_staff_only
            spaces = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), spaces)
        elif isinstance(entry, URLPattern) and entry.name:
            route = prefix + str(entry.pattern)
            # <int:pk> in path(), (?P<pk>...) in re_path(): the same names either way
            params = tuple(dict.fromkeys(re.findall(r"<(?:\w+:)?(\w+)>", route)))
            yield Route(":".join((*namespaces, entry.name)), route, params)


ROUTES = sorted(walk(), key=lambda r: r.name)

# --- classification rules ----------------------------------------------------------------

PUBLIC = {
    "healthz",
    "login",
    "logout",
    "set_language",
    "documents:verify",
    "api:not-found",
}
# (route name pattern, parameter) → the kind of object the parameter names.
OBJECT_RULES: list[tuple[str, str, str]] = [
    (r"^cadres:", "pk", "cadre"),
    (r"^documents:", "pk", "document"),
    (r"^tolerance:", "pk", "case"),
    (r"^tolerance:", "attachment_pk", "attachment"),
    (r"^notification-open$", "pk", "notification"),
    (r"^api:cadre-", "pk", "cadre"),
    (r"^api:tolerance-case-", "pk", "case"),
    (r"^api:document-", "pk", "document"),
    (r"^clarifications:timeline$", "pk", "cadre"),
    (r"^promotions:(propose|exceptional_new)$", "cadre_pk", "cadre"),
    (r"^assessments:cadre$", "pk", "cadre"),
    (r"^promotions:eligibility$", "cadre_pk", "cadre"),
    (r"^api:unit-detail$", "pk", "unit"),
    (r"^(assessments:grid|api:assessment-sheet)$", "unit_id", "unit"),
    (r"^api:assessment-grade-", "pk", "grade"),
    (r"^(api:assessment-incident-|assessments:incident$)", "pk", "incident"),
    (r"^(api:proposal-|promotions:proposal$)", "pk", "proposal"),
    (r"^register:(export|progress|download)$", "pk", "export"),
    (r"^clarifications:(petition|action)$", "pk", "petition"),
    (r"^clarifications:filing$", "pk", "filing"),
]
# Parameters that are not objects: a value to use in the requests.
VALUE_RULES: list[tuple[str, str, str]] = [
    (r"^tolerance:case_action$", "action", "withdraw"),
    (r"^api:tolerance-case-transition$", "action", "withdraw"),
    (r"^api:proposal-transition$", "action", "inspect"),
    (r"^clarifications:action$", "action", "verify"),
    (r"^assessments:grid$", "year", "2024"),
    (r"^api:assessment-sheet$", "year", "2024"),
    (r"^register:download$", "part", "zip"),
    (r"^assessments:(export|template)$", "kind", "grades"),
    # Import reports are kept under a token in the importing user's session: a token the
    # persona's session does not hold is answered as missing.
    (r"^(assessments:import-report|cadres:roster-report)$", "token", "0123456789abcdef"),
]
# Read URLs: a persona who reaches the object gets it (200, or a redirect to it, by GET or,
# for a POST-only URL such as opening a notification, by POST).
READS = {
    "cadres:detail",
    "tolerance:case_detail",
    "tolerance:attachment_download",
    "documents:download",
    "notification-open",
    "api:cadre-detail",
    "api:tolerance-case-detail",
    "api:document-detail",
    "api:document-download",
    "api:unit-detail",
    "api:assessment-grade-detail",
    "api:assessment-incident-detail",
    "api:assessment-sheet",
    "api:proposal-detail",
    "clarifications:timeline",
    "clarifications:petition",
    "clarifications:filing",
    "assessments:cadre",
    "assessments:grid",
    "assessments:incident",
    "promotions:eligibility",
    "promotions:proposal",
    "register:export",
    "register:progress",
    "register:download",
}


# GET answers of every collection URL, persona by persona, in the order of PERSONAS:
#        admin clerk_a clerk_city discipline hr_a1 cadre_a1 auditor outsider
# A list that the persona may open but that holds nothing of theirs is still a 200 (the
# REST API's lists and the pages' "mine" lists); a page that is not for the persona is a
# 404; 302 is a redirect to the page that is (the queue sends cadres to their own cases);
# 405 is a POST-only URL.
ALL = (200,) * 8
COLLECTION_ANSWERS: dict[str, tuple[int, ...]] = {
    "home": ALL,
    "notifications": ALL,
    "notifications-read": (405,) * 8,
    "audit-log": (200, 404, 404, 404, 404, 404, 200, 404),
    "api:docs": ALL,
    "api:schema": ALL,
    "api:unit-list": ALL,
    "api:cadre-list": ALL,
    "api:document-list": ALL,
    "api:tolerance-case-list": ALL,
    "api:proposal-list": ALL,
    "api:assessment-grade-list": ALL,
    "api:assessment-team-list": ALL,
    "api:assessment-target-list": ALL,
    "api:assessment-rank-list": ALL,
    "api:assessment-poverty-list": ALL,
    "api:assessment-incident-list": ALL,
    "api:assessment-monthly-report-list": ALL,
    "api:assessment-checkup-list": ALL,
    "api:assessment-warning-list": ALL,
    "assessments:index": ALL,
    "assessments:mine": (404, 404, 404, 404, 404, 302, 404, 404),
    "assessments:incidents": (200, 200, 200, 200, 200, 404, 200, 404),
    "assessments:report-detection": (200, 200, 200, 200, 200, 404, 200, 404),
    "assessments:report-distribution": (200, 200, 200, 200, 200, 404, 200, 404),
    "assessments:report-incidents": (200, 200, 200, 200, 200, 404, 200, 404),
    "assessments:report-ranks": (200, 200, 200, 200, 200, 404, 200, 404),
    "assessments:import": (200, 200, 200, 404, 200, 404, 404, 404),
    "assessments:template": (200, 200, 200, 404, 200, 404, 404, 404),
    # the grades the persona may see, as Excel (an empty sheet for whoever sees none)
    "assessments:export": ALL,
    "assessments:import-report": (404,) * 8,
    "cadres:list": ALL,
    "cadres:lrmx-export-zip": (404,) * 8,  # needs the cadres chosen (a GET without is 404)
    "cadres:lrmx-import": (200, 200, 200, 404, 200, 404, 404, 404),
    "cadres:roster-export": (200, 200, 200, 200, 200, 404, 200, 404),
    "cadres:roster-import": (200, 200, 200, 404, 200, 404, 404, 404),
    "cadres:roster-template": (200, 200, 200, 404, 200, 404, 404, 404),
    "cadres:roster-report": (404,) * 8,
    "clarifications:list": (200, 200, 200, 200, 404, 404, 200, 404),
    "clarifications:new": (404, 404, 404, 200, 404, 404, 404, 404),
    "clarifications:export": (200, 200, 200, 200, 404, 404, 200, 404),
    "clarifications:filings": (200, 200, 200, 200, 404, 404, 200, 404),
    "clarifications:stats": (200, 200, 200, 200, 404, 404, 200, 404),
    "promotions:dashboard": (200, 200, 200, 200, 404, 404, 200, 404),
    "promotions:bonus": (200, 200, 200, 200, 404, 404, 200, 404),
    "promotions:proposals": ALL,
    "promotions:scan": (405,) * 8,
    "register:list": (200, 200, 200, 200, 404, 200, 200, 404),
    "register:export-create": (405,) * 8,
    "stats:index": (200, 200, 200, 200, 404, 404, 200, 404),
    "tolerance:queue": (200, 200, 200, 200, 302, 302, 200, 302),
    "tolerance:my_cases": ALL,
    "tolerance:file": (404, 200, 200, 404, 200, 200, 404, 404),
}


def object_kind(route: Route, param: str) -> str | None:
    for pattern, name, kind in OBJECT_RULES:
        if name == param and re.search(pattern, route.name):
            return kind
    return None


def value_of(route: Route, param: str) -> str | None:
    for pattern, name, value in VALUE_RULES:
        if name == param and re.search(pattern, route.name):
            return value
    return None


def classify(route: Route) -> str:
    if route.name in PUBLIC:
        return "public"
    if all(value_of(route, p) for p in route.params):
        return "collection"
    if all(object_kind(route, p) or value_of(route, p) for p in route.params) and any(
        object_kind(route, p) for p in route.params
    ):
        return "object"
    return "unclassified"


OBJECT_ROUTES = [r for r in ROUTES if classify(r) == "object"]
COLLECTION_ROUTES = [r for r in ROUTES if classify(r) == "collection"]


def test_every_url_is_classified():
    unclassified = sorted(f"{r.name} ({r.route})" for r in ROUTES if classify(r) == "unclassified")
    assert unclassified == [], (
        "URLs the permission matrix cannot classify: add a rule in OBJECT_RULES or "
        f"VALUE_RULES (and the expected answers) for {unclassified}"
    )
    missing = sorted(r.name for r in COLLECTION_ROUTES if r.name not in COLLECTION_ANSWERS)
    assert missing == [], f"collection URLs without expected answers per persona: {missing}"
    assert sorted(set(COLLECTION_ANSWERS) - {r.name for r in COLLECTION_ROUTES}) == []


def test_matrix_covers_the_core_areas():
    names = {r.name for r in OBJECT_ROUTES}
    assert {
        "cadres:detail",
        "cadres:edit",
        "cadres:reveal-id",
        "documents:download",
        "tolerance:case_detail",
        "tolerance:case_action",
        "tolerance:attachment_download",
    } <= names
    assert {"home", "audit-log", "cadres:list"} <= {r.name for r in COLLECTION_ROUTES}


# --- the objects and who reaches them ----------------------------------------------------

PERSONAS = ["admin", "clerk_a", "clerk_city", "discipline", "hr_a1", "cadre_a1", "auditor",
            "outsider"]
# object → the personas who reach it (every other persona is "outside").
REACH = {
    "cadre_a1": {"admin", "clerk_a", "discipline", "hr_a1", "cadre_a1", "auditor"},
    "cadre_b1": {"admin", "discipline"},
    "cadre_city": {"admin", "clerk_city", "discipline"},
    # county A's case about 张三, filed by 张三 himself, submitted
    "case_a": {"admin", "clerk_a", "discipline", "cadre_a1", "auditor"},
    # the city's ex officio case about 王五, submitted
    "case_city": {"admin", "clerk_city", "discipline"},
    # the acceptance notice of case_a (a case notice: whoever sees the case)
    "notice_a": {"admin", "clerk_a", "discipline", "cadre_a1", "auditor"},
    # evidence 张三 uploaded to case_a: the authority's staff, auditors, and the uploader
    "evidence_a": {"admin", "clerk_a", "cadre_a1", "auditor"},
    # a notification to clerk_a: only its recipient
    "note_clerk_a": {"clerk_a"},
    # township A1 (张三's unit) and B1, as units whose grades one enters (gradable_units:
    # organization departments whose jurisdiction holds them, and the unit's own HR officer)
    "unit_a1": {"admin", "clerk_a", "clerk_city", "hr_a1"},
    "unit_b1": {"admin", "clerk_city"},
    # 张三's own grade (it follows the cadre), and 李四's in township B1
    "grade_a1": {"admin", "clerk_a", "discipline", "hr_a1", "cadre_a1", "auditor"},
    "grade_b1": {"admin", "discipline"},
    # incidents in township A1 and B1: unit-level evidence (staff and auditors of the units'
    # authorities, the unit's own HR officer); never a cadre
    "incident_a1": {"admin", "clerk_a", "clerk_city", "discipline", "hr_a1", "auditor"},
    "incident_b1": {"admin", "clerk_city", "discipline"},
    # county A's adjustment proposal for its county party secretary: the authority's staff
    "proposal_a": {"admin", "clerk_a", "auditor"},
    # a petition about 张三 to the city discipline commission: its staff and administrators;
    # never the cadre it is about (the informant is protected)
    "petition_city": {"admin", "discipline"},
    # county A's prevention filing for township A1: the authority's staff and auditors
    "filing_a": {"admin", "clerk_a", "auditor"},
    # an export of the register: its requester alone, not even administrators
    "export_clerk_a": {"clerk_a"},
}
# Routes whose reach differs from their kind's: route → object → personas.
ROUTE_REACH: dict[str, dict[str, set[str]]] = {
    # Units one may read (readable_units), wider than the units one grades.
    "api:unit-detail": {
        "unit_a1": {"admin", "clerk_a", "clerk_city", "discipline", "hr_a1", "cadre_a1",
                    "auditor"},
        "unit_b1": {"admin", "clerk_city", "discipline"},
    },
    # Acting on a petition: its handling staff only (administrators read it, masked).
    "clarifications:action": {"petition_city": {"discipline"}},
}
# Objects that are a persona's own (the other relations are in or outside its reach).
OWN = {
    "cadre_a1": "cadre_a1",
    "case_a": "cadre_a1",
    "evidence_a": "cadre_a1",
    "grade_a1": "cadre_a1",
    "note_clerk_a": "clerk_a",
    "export_clerk_a": "clerk_a",
}


def reach(route: Route, name: str) -> set[str]:
    return ROUTE_REACH.get(route.name, {}).get(name, REACH[name])


def relation(persona: str, name: str) -> str:
    if OWN.get(name) == persona:
        return "own"
    return "in" if persona in REACH[name] else "outside"

OBJECTS_OF_KIND = {
    "cadre": ["cadre_a1", "cadre_b1", "cadre_city"],
    "case": ["case_a", "case_city"],
    "document": ["notice_a"],
    "attachment": ["evidence_a"],
    "notification": ["note_clerk_a"],
    "unit": ["unit_a1", "unit_b1"],
    "grade": ["grade_a1", "grade_b1"],
    "incident": ["incident_a1", "incident_b1"],
    "proposal": ["proposal_a"],
    "petition": ["petition_city"],
    "filing": ["filing_a"],
    "export": ["export_clerk_a"],
}


@pytest.fixture
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


@pytest.fixture
def objects(world, personas, media) -> dict[str, object]:
    case_a = case_create(
        actor=personas.cadre_a1,
        started_by=StartedBy.CADRE,
        cadres=[world.cadre_a1],
        title="乡村振兴试点项目资金拨付偏差",
        description="在推进改革试点中，因政策界限不明确出现资金拨付偏差。",
        occurred_on=dt.date(2025, 3, 10),
        application_text="系改革探索中的失误。",
    )
    evidence = attachment_add(
        case_a,
        actor=personas.cadre_a1,
        upload=SimpleUploadedFile("证明材料.pdf", PDF),
        kind=AttachmentKind.EVIDENCE,
    )
    case_a = case_transition(case_a, actor=personas.cadre_a1, action="submit")
    case_city = case_create(
        actor=personas.clerk_city,
        started_by=StartedBy.EX_OFFICIO_INSPECTION,
        cadres=[world.cadre_city],
        title="市级项目审批程序瑕疵",
        description="审批中程序瑕疵。",
        occurred_on=dt.date(2025, 6, 1),
    )
    case_city = case_transition(case_city, actor=personas.clerk_city, action="submit")
    notice, _created = document_issue(
        key=f"matrix:notice:case={case_a.pk}",
        kind=DocumentKind.ACCEPTANCE_NOTICE,
        authority=world.county_a_org,
        series="容受",
        title="容错免责申请受理通知书",
        render=lambda number, day: (f"{number}.pdf", "application/pdf", PDF),
        subject=case_a,
    )
    (note,) = notify([personas.clerk_a], subject="矩阵", url="/")
    unit_grades_enter(
        world.township_a1,
        actor=personas.hr_a1,
        year=2024,
        entries=[GradeInput(world.cadre_a1.pk, "competent")],
    )
    unit_grades_enter(
        world.township_b1,
        actor=personas.admin,
        year=2024,
        entries=[GradeInput(world.cadre_b1.pk, "competent")],
    )
    incidents = {
        name: Incident.objects.create(
            kind="work_safety",
            occurred_on=dt.date(2024, 5, 1),
            unit=unit,
            severity="serious",
            title=f"{unit.name}安全事故",
        )
        for name, unit in (("incident_a1", world.township_a1), ("incident_b1", world.township_b1))
    }
    leader = CadreFactory(
        name="县委书记",
        unit=world.county_a,
        position="县委书记",
        post_type=PostType.LEADERSHIP,
        rank=Rank.COUNTY_CHIEF,
    )
    TargetAssessment.objects.create(unit=world.county_a, year=2023, grade="poor")
    scan(2023)
    petition = petition_create(
        actor=personas.discipline,
        authority=world.city_discipline,
        received_on=dt.date(2025, 2, 1),
        channel="letter",
        allegations="反映张三违规拨付资金。",
        cadre=world.cadre_a1,
        informant_name="举报人甲",
    )
    filing = filing_create(
        actor=personas.clerk_a,
        authority=world.county_a_org,
        unit=world.township_a1,
        measure="试点改革",
        description="先行先试。",
        risk_level="medium",
        risk_assessment="可控。",
        argument="集体论证。",
        argued_on=dt.date(2025, 1, 5),
        filed_on=dt.date(2025, 1, 10),
        approving_body="县委",
    )
    export = export_request(personas.clerk_a, {})
    assert export.state == "done"
    return {
        "unit_a1": world.township_a1,
        "unit_b1": world.township_b1,
        "grade_a1": world.cadre_a1.annual_assessments.get(),
        "grade_b1": world.cadre_b1.annual_assessments.get(),
        **incidents,
        "proposal_a": Proposal.objects.get(cadre=leader),
        "petition_city": petition,
        "filing_a": filing,
        "export_clerk_a": export,
        "cadre_a1": world.cadre_a1,
        "cadre_b1": world.cadre_b1,
        "cadre_city": world.cadre_city,
        "case_a": case_a,
        "case_city": case_city,
        "notice_a": notice,
        "evidence_a": evidence,
        "note_clerk_a": note,
    }


def url_for(route: Route, kind: str, obj, *, missing: bool = False) -> str:
    """The URL of `route` about `obj` (of `kind`), or about a missing object of that kind."""
    kwargs = {}
    for param in route.params:
        param_kind = object_kind(route, param)
        if param_kind is None:
            kwargs[param] = value_of(route, param)
        elif param_kind == kind:
            kwargs[param] = MISSING if missing else obj.pk
        elif param_kind == "case" and kind == "attachment":
            kwargs[param] = obj.case_id  # the attachment's own case
        else:
            raise AssertionError(f"{route}: no {param_kind} to go with a {kind}")
    return reverse(route.name, kwargs=kwargs)


def main_kind(route: Route) -> str:
    """The most specific object the URL names (an attachment rather than its case)."""
    kinds = [object_kind(route, p) for p in route.params if object_kind(route, p)]
    return kinds[-1]


def statuses(client, url: str) -> tuple[int, int]:
    return client.get(url).status_code, client.post(url).status_code


# A refusal that says nothing about the object: it must also equal the answer for a missing
# object (403 where a role may never write, whatever the object; 405 for a wrong method).
DENIED = {403, 404, 405}


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=str)
def test_object_urls(client, personas, objects, route):
    kind = main_kind(route)
    some = objects[OBJECTS_OF_KIND[kind][0]]
    problems = []
    for persona in PERSONAS:
        client.force_login(getattr(personas, persona))
        missing = statuses(client, url_for(route, kind, some, missing=True))
        for name in OBJECTS_OF_KIND[kind]:
            url = url_for(route, kind, objects[name])
            reached = persona in reach(route, name)
            if reached:
                got = client.get(url).status_code
                got = (got, client.post(url).status_code if got == 405 else got)
            else:
                got = statuses(client, url)
            cell = f"{persona} ({relation(persona, name)}) → {name}: GET {got[0]}, POST {got[1]}"
            if 500 in got:
                problems.append(f"{cell} (server error)")
            elif reached:
                if route.name in READS and not {200, 302} & set(got):
                    problems.append(f"{cell} (should be readable)")
            elif got != missing or not set(got) <= DENIED:
                problems.append(f"{cell}, missing object: {missing} (must match, 404)")
    assert problems == []


def collection_url(route: Route) -> str:
    return reverse(route.name, kwargs={p: value_of(route, p) for p in route.params})


@pytest.mark.parametrize("route", OBJECT_ROUTES + COLLECTION_ROUTES, ids=str)
def test_anonymous_is_refused(client, objects, route):
    if classify(route) == "object":
        kind = main_kind(route)
        url = url_for(route, kind, objects[OBJECTS_OF_KIND[kind][0]])
    else:
        url = collection_url(route)
    for method in (client.get, client.post):
        response = method(url)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse(settings.LOGIN_URL)), url
        else:
            assert response.status_code in (401, 403, 404, 405), (method, url, response)


@pytest.mark.parametrize("route", COLLECTION_ROUTES, ids=str)
def test_collection_urls_answer_each_persona_as_expected(client, personas, objects, route):
    """GET answers exactly as COLLECTION_ANSWERS says; POST never fails with a server error."""
    url = collection_url(route)
    got, problems = {}, []
    for persona in PERSONAS:
        client.force_login(getattr(personas, persona))
        get_status, post_status = statuses(client, url)
        got[persona] = get_status
        if 500 in (get_status, post_status):
            problems.append(f"{persona}: GET {get_status}, POST {post_status}")
    assert problems == []
    assert got == dict(zip(PERSONAS, COLLECTION_ANSWERS[route.name], strict=True))


def test_matrix_covers_every_relation():
    """Every kind of object is tried from inside and outside the reach, and the cadre and
    the clerk also try objects of their own."""
    for kind, names in OBJECTS_OF_KIND.items():
        seen = {relation(p, n) for p in PERSONAS for n in names}
        assert "outside" in seen and seen & {"in", "own"}, (kind, seen)
    own = {(OWN[n], kind) for kind, names in OBJECTS_OF_KIND.items() for n in names if n in OWN}
    assert own == {
        ("cadre_a1", "cadre"),
        ("cadre_a1", "case"),
        ("cadre_a1", "attachment"),
        ("cadre_a1", "grade"),
        ("clerk_a", "notification"),
        ("clerk_a", "export"),
    }
    for persona in PERSONAS:
        assert any(relation(persona, n) == "outside" for n in REACH), persona


def test_attachment_of_another_case_is_not_found(client, personas, objects):
    """The attachment is looked up within the case named in the URL, even for admins."""
    evidence, other = objects["evidence_a"], objects["case_city"]
    client.force_login(personas.admin)
    url = reverse("tolerance:attachment_download", args=[other.pk, evidence.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_site_is_for_staff_only(client, personas, persona):
    user = getattr(personas, persona)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    if user.is_staff:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
