"""The URL × role × relation matrix, generated from the URL resolver.

Every URL pattern of the project is walked (config/urls.py and everything it includes), so a
new URL is in the matrix the day it is added. Each pattern is classified by the rules below:

- public: answers anyone (log-in, health check, document verification ...);
- object: its parameters name objects (a cadre, a case, a document, an attachment, a
  notification). For every persona and every object the persona must not reach, GET and POST
  must answer exactly as for an object that does not exist (404 for missing and forbidden
  alike; 405 where the method is never allowed). Objects the persona reaches must not give
  404 on a read URL, and nothing may give a server error;
- collection: no parameters; anonymous visitors are sent to log in, no persona gets a server
  error.

A pattern whose parameters no rule explains is "unclassified": test_every_url_is_classified
lists it, and fails when a new one appears, until a rule (or the NOT_CLASSIFIED list, with
a reason) covers it.
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

from core.documents import DocumentKind, document_issue
from core.notifications import notify
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
]
# Parameters that are not objects: a value to use in the requests.
VALUE_RULES: list[tuple[str, str, str]] = [
    (r"^tolerance:case_action$", "action", "withdraw"),
    (r"^api:tolerance-case-transition$", "action", "withdraw"),
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
    "clarifications:timeline",
}
# Patterns left out of the matrix for now, with the reason. Keep it short.
NOT_CLASSIFIED = {
    "api:unit-detail": "units are not scoped per user yet",
    "assessments:grid": "assessment grids: unit and year parameters, no rule yet",
    "assessments:cadre": "assessments app: no rule yet",
    "assessments:incident": "assessments app: no rule yet",
    "assessments:import-report": "a token of the importing user's session",
    "assessments:export": "report kinds, no rule yet",
    "assessments:template": "template kinds, public to staff",
    "assessments:entry": "evidence kinds: personas in tests/assessments/test_entry_views.py",
    "assessments:entry-add": "evidence kinds: personas in tests/assessments/test_entry_views.py",
    "assessments:entry-edit": "evidence rows: personas in tests/assessments/test_entry_views.py",
    "assessments:checkup": "check-ups: personas in tests/assessments/test_checkup_views.py",
    "assessments:warning-resolve": "warnings: personas in tests/assessments/test_checkup_views.py",
    "cadres:roster-report": "a token of the importing user's session",
    "register:export": "export jobs: no rule yet",
    "register:progress": "export jobs: no rule yet",
    "register:download": "export jobs: no rule yet",
    "clarifications:petition": "petitions: persona matrix in tests/clarifications/test_views.py",
    "clarifications:action": "petitions: persona matrix in tests/clarifications/test_views.py",
    "clarifications:filing": "filings: persona tests in tests/clarifications/test_filings.py",
    "promotions:proposal": "promotions app: no rule yet",
    "promotions:eligibility": "promotions app: a cadre_pk parameter, no rule yet",
    "promotions:exceptional": "requests: persona tests in tests/promotions/test_views_jinan.py",
    "promotions:bonus-unit": "unit and year: persona tests in test_incentive_views.py",
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
    if not route.params:
        return "collection"
    if all(object_kind(route, p) or value_of(route, p) for p in route.params) and any(
        object_kind(route, p) for p in route.params
    ):
        return "object"
    return "unclassified"


OBJECT_ROUTES = [r for r in ROUTES if classify(r) == "object"]
COLLECTION_ROUTES = [r for r in ROUTES if classify(r) == "collection"]


def test_every_url_is_classified():
    unclassified = sorted(r.name for r in ROUTES if classify(r) == "unclassified")
    assert [name for name in unclassified if name not in NOT_CLASSIFIED] == [], (
        "URLs the permission matrix cannot classify: add a rule in OBJECT_RULES/VALUE_RULES "
        "or list them in NOT_CLASSIFIED with a reason"
    )
    # A listed URL that the rules now cover, or that is gone, leaves the list.
    assert sorted(set(NOT_CLASSIFIED) - set(unclassified)) == []


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
}
OBJECTS_OF_KIND = {
    "cadre": ["cadre_a1", "cadre_b1", "cadre_city"],
    "case": ["case_a", "case_city"],
    "document": ["notice_a"],
    "attachment": ["evidence_a"],
    "notification": ["note_clerk_a"],
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
    return {
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
            if persona in REACH[name]:
                got = client.get(url).status_code
                got = (got, client.post(url).status_code if got == 405 else got)
            else:
                got = statuses(client, url)
            cell = f"{persona} → {name}: GET {got[0]}, POST {got[1]}"
            if 500 in got:
                problems.append(f"{cell} (server error)")
            elif persona in REACH[name]:
                if route.name in READS and not {200, 302} & set(got):
                    problems.append(f"{cell} (should be readable)")
            elif got != missing or not set(got) <= DENIED:
                problems.append(f"{cell}, missing object: {missing} (must match, 404)")
    assert problems == []


@pytest.mark.parametrize("route", OBJECT_ROUTES + COLLECTION_ROUTES, ids=str)
def test_anonymous_is_refused(client, objects, route):
    if route.params:
        kind = main_kind(route)
        url = url_for(route, kind, objects[OBJECTS_OF_KIND[kind][0]])
    else:
        url = reverse(route.name)
    for method in (client.get, client.post):
        response = method(url)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse(settings.LOGIN_URL)), url
        else:
            assert response.status_code in (401, 403, 404, 405), (method, url, response)


@pytest.mark.parametrize("route", COLLECTION_ROUTES, ids=str)
def test_collection_urls_never_fail(client, personas, objects, route):
    url = reverse(route.name)
    problems = []
    for persona in PERSONAS:
        client.force_login(getattr(personas, persona))
        got = statuses(client, url)
        if 500 in got:
            problems.append(f"{persona}: GET {got[0]}, POST {got[1]}")
    assert problems == []


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
