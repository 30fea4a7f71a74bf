"""The URL × role × relation matrix, generated from the URL resolver.

Every URL pattern of the project is walked (config/urls.py and everything it includes), so a
new URL is in the matrix the day it is added. Each pattern is classified by the rules below:

- public: answers anyone (log-in, health check, document verification ...);
- object: its parameters name objects (a cadre, a case, a document, an attachment, a
  notification, a unit, a grade, an incident, a proposal, a petition, a filing, an export,
  a row of unit-level evidence (team grade, target grade, rank, poverty target,
  competition), a monthly report, a check-up, a check-up warning, a feedback record, an
  exceptional-promotion request), in the pages and in the REST API alike, with the same
  reach for both. For every persona and every object the persona must not reach, GET and
  POST must answer exactly as for an object that does not exist (404 for missing and
  forbidden alike; 405 where the method is never allowed). Objects the persona reaches
  must not give 404 on a read URL (a page showing the object, or the form editing it), and
  nothing may give a server error;
- collection: no object parameters (none at all, or only values such as a report kind, a
  year or a token); anonymous visitors are sent to log in, and every persona gets exactly
  the answer COLLECTION_ANSWERS gives for it (a page, a 404 for whom it does not exist, a
  405 ...).

Each persona stands in one of three relations to each object: its own (the cadre's own
record, case, evidence, grade, reports, check-ups and requests; the clerk's own
notification and export), in its jurisdiction (REACH), or outside it;
test_matrix_covers_every_relation checks that the objects exercise all three.

A parameter that takes one of several values (the kind of an evidence entry page) is tried
with every value the application declares: the URL appears in the matrix once per value,
as "name[value]", each classified and answered on its own; a new value is thus a new URL.

A pattern whose parameters no rule explains is "unclassified": test_every_url_is_classified
fails loudly, naming it, until a rule covers it. There is no list of exceptions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.entry.kinds import KINDS

from .matrix_objects import build_objects

MISSING = 987_654_321  # no object has this id


# --- walking the resolver ----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", then "[value]" when tried once per value of a parameter
    url_name: str  # "namespace:name", to reverse
    route: str  # the pattern, e.g. "tolerance/cases/<int:pk>/"
    params: tuple[str, ...]
    choice: tuple[str, str] | None = None  # (parameter, value) that this row tries

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
            name = ":".join((*namespaces, entry.name))
            yield Route(name, name, route, params)


# (route name pattern, parameter) → every value the parameter takes, each tried on its own.
CHOICE_RULES: list[tuple[str, str, tuple[str, ...]]] = [
    (r"^assessments:entry(-add|-edit)?$", "key", tuple(sorted(KINDS))),
]


def expand(route: Route) -> Iterator[Route]:
    for pattern, param, values in CHOICE_RULES:
        if param in route.params and re.search(pattern, route.name):
            for value in values:
                yield replace(route, name=f"{route.name}[{value}]", choice=(param, value))
            return
    yield route


ROUTES = sorted((r for base in walk() for r in expand(base)), key=lambda r: r.name)

# --- classification rules ----------------------------------------------------------------

PUBLIC = {
    "healthz",
    "readyz",  # for the orchestrator; nginx (deploy/nginx) keeps it to local callers
    "login",
    "logout",
    "set_language",
    "documents:verify",
    "api:not-found",
}
# (route name pattern, parameter) → the kind of object the parameter names.
OBJECT_RULES: list[tuple[str, str, str]] = [
    (r"^cadres:", "pk", "cadre"),
    (r"^documents:(draft|draft_preview|approval_form)$", "pk", "draft"),
    (r"^documents:", "pk", "document"),
    (r"^tolerance:", "pk", "case"),
    (r"^tolerance:", "attachment_pk", "attachment"),
    (r"^(tolerance:|api:tolerance-case-)", "delivery_pk", "delivery"),
    (r"^notification-open$", "pk", "notification"),
    (r"^api:cadre-", "pk", "cadre"),
    (r"^api:tolerance-case-", "pk", "case"),
    (r"^api:document-", "pk", "document"),
    (r"^register:timeline$", "pk", "cadre"),
    (r"^register:case-file$", "pk", "case"),
    (r"^promotions:(propose|exceptional_new)$", "cadre_pk", "cadre"),
    (r"^assessments:cadre$", "pk", "cadre"),
    (r"^promotions:eligibility$", "cadre_pk", "cadre"),
    (r"^api:unit-detail$", "pk", "unit"),
    (r"^(assessments:grid|api:assessment-sheet)$", "unit_id", "unit"),
    (r"^api:assessment-grade-", "pk", "grade"),
    (r"^(api:assessment-incident-|assessments:incident$)", "pk", "incident"),
    (r"^(api:proposal-|promotions:proposal$)", "pk", "proposal"),
    (r"^register:(export|progress|download)$", "pk", "export"),
    (r"^imports:(job|report)$", "pk", "import"),
    (r"^clarifications:(petition|action)$", "pk", "petition"),
    (r"^clarifications:filing$", "pk", "filing"),
    (r"^promotions:bonus-unit$", "unit_pk", "unit"),
    (r"^promotions:exceptional$", "pk", "exceptional"),
    (r"^assessments:checkup$", "pk", "checkup"),
    (r"^assessments:warning-resolve$", "pk", "warning"),
    # the row an entry page edits: its kind follows the page's kind of evidence
    (r"^assessments:entry-edit\[team\]$", "pk", "team grade"),
    (r"^assessments:entry-edit\[target\]$", "pk", "target grade"),
    (r"^assessments:entry-edit\[ranks\]$", "pk", "rank"),
    (r"^assessments:entry-edit\[poverty\]$", "pk", "poverty target"),
    (r"^assessments:entry-edit\[monthly\]$", "pk", "monthly report"),
    (r"^assessments:entry-edit\[checkups\]$", "pk", "checkup"),
    (r"^assessments:entry-edit\[competitions\]$", "pk", "competition"),
    (r"^assessments:entry-edit\[feedback\]$", "pk", "feedback"),
]
# Parameters that are not objects: a value to use in the requests.
VALUE_RULES: list[tuple[str, str, str]] = [
    (r"^tolerance:case_action$", "action", "withdraw"),
    (r"^workbench:pick$", "kind", "cadres"),
    (r"^api:tolerance-case-transition$", "action", "withdraw"),
    (r"^api:proposal-transition$", "action", "inspect"),
    (r"^clarifications:action$", "action", "verify"),
    (r"^assessments:grid$", "year", "2024"),
    (r"^promotions:bonus-unit$", "year", "2024"),
    (r"^api:assessment-sheet$", "year", "2024"),
    (r"^register:download$", "part", "zip"),
    (r"^assessments:(export|template)$", "kind", "grades"),
]
# Read URLs: a persona who reaches the object gets it (200, or a redirect to it, by GET or,
# for a POST-only URL such as opening a notification, by POST).
READS = {
    "cadres:detail",
    "tolerance:case_detail",
    "tolerance:attachment_download",
    "tolerance:receipt_download",
    "api:tolerance-case-receipt-download",
    "documents:download",
    "documents:draft",
    "documents:draft_preview",
    "documents:approval_form",
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
    "register:timeline",
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
    "imports:job",
    "imports:report",
    "promotions:bonus-unit",
    "promotions:exceptional",
    "assessments:checkup",
    "assessments:warning-resolve",  # its form
    # the entry pages' forms for one row
    "assessments:entry-edit[team]",
    "assessments:entry-edit[target]",
    "assessments:entry-edit[poverty]",
    "assessments:entry-edit[monthly]",
    "assessments:entry-edit[competitions]",
    "assessments:entry-edit[feedback]",
    "assessments:entry-edit[checkups]",  # the check-up's page (see ROUTE_REACH)
}


# GET answers of every collection URL, persona by persona, in the order of PERSONAS:
#        admin clerk_a clerk_city discipline hr_a1 cadre_a1 auditor outsider
# A list that the persona may open but that holds nothing of theirs is still a 200 (the
# REST API's lists and the pages' "mine" lists); a page that is not for the persona is a
# 404; 302 is a redirect to the page that is (the queue sends cadres to their own cases);
# 405 is a POST-only URL.
ALL = (200,) * 8
NONE = (404,) * 8
# organization-department staff (they write evidence, run check-ups, propose, commend)
ORG = (200, 200, 200, 404, 404, 404, 404, 404)
# unit-level evidence is read by authority staff, auditors and the unit's HR officer
EVIDENCE = (200, 200, 200, 200, 200, 404, 200, 404)
# monthly reports and feedback: organization departments and the unit's HR officer
TRACKING = (200, 200, 200, 404, 200, 404, 404, 404)
# the incentive pages: authority staff and auditors
STAFF = (200, 200, 200, 200, 404, 404, 200, 404)
COLLECTION_ANSWERS: dict[str, tuple[int, ...]] = {
    "home": ALL,
    "workbench:search": ALL,
    "workbench:pick": ALL,
    "notifications": ALL,
    "notifications-read": (405,) * 8,
    "audit-log": (200, 404, 404, 404, 404, 404, 200, 404),
    "audit-log-export": (200, 404, 404, 404, 404, 404, 200, 404),
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
    # the evidence entry pages, one kind at a time: its list, then its form for a new row
    # (ranks are entered on a page of their own, so their "add" is not found; check-ups'
    # "add" is the very URL of assessments:checkup-add, whose pattern the resolver meets
    # first, and answers as it does)
    "assessments:entry[team]": EVIDENCE,
    "assessments:entry[target]": EVIDENCE,
    "assessments:entry[ranks]": EVIDENCE,
    "assessments:entry[poverty]": EVIDENCE,
    "assessments:entry[competitions]": EVIDENCE,
    "assessments:entry[monthly]": TRACKING,
    "assessments:entry[feedback]": TRACKING,
    "assessments:entry[checkups]": ORG,
    "assessments:entry-add[team]": ORG,
    "assessments:entry-add[target]": ORG,
    "assessments:entry-add[ranks]": NONE,
    "assessments:entry-add[poverty]": ORG,
    "assessments:entry-add[competitions]": ORG,
    "assessments:entry-add[monthly]": TRACKING,
    "assessments:entry-add[feedback]": TRACKING,
    "assessments:entry-add[checkups]": ORG,
    "assessments:ranks-enter": ORG,
    "assessments:checkup-add": ORG,
    "assessments:warnings": ORG,
    "cadres:list": ALL,
    "cadres:list-export": ALL,
    # documents waiting for a check or a sign-off: a list for everyone, holding those of
    # the organization departments the persona works in
    "documents:drafts": ALL,
    "cadres:lrmx-export-zip": (404,) * 8,  # needs the cadres chosen (a GET without is 404)
    "cadres:lrmx-import": (200, 200, 200, 404, 200, 404, 404, 404),
    "cadres:roster-export": (200, 200, 200, 200, 200, 404, 200, 404),
    "cadres:roster-import": (200, 200, 200, 404, 200, 404, 404, 404),
    "cadres:roster-template": (200, 200, 200, 404, 200, 404, 404, 404),
    "clarifications:list": (200, 200, 200, 200, 404, 404, 200, 404),
    "clarifications:new": (404, 404, 404, 200, 404, 404, 404, 404),
    "clarifications:export": (200, 200, 200, 200, 404, 404, 200, 404),
    "clarifications:export-xlsx": (200, 200, 200, 200, 404, 404, 200, 404),
    "clarifications:filings": (200, 200, 200, 200, 404, 404, 200, 404),
    "clarifications:stats": (200, 200, 200, 200, 404, 404, 200, 404),
    "promotions:dashboard": (200, 200, 200, 200, 404, 404, 200, 404),
    "promotions:bonus": (200, 200, 200, 200, 404, 404, 200, 404),
    "promotions:proposals": ALL,
    "promotions:proposals-export": ALL,
    "promotions:propose_pick": ORG,
    # every persona may open the list; it holds the requests the persona may see
    "promotions:exceptional_list": ALL,
    "promotions:exceptional-export": ALL,
    "promotions:outstanding": STAFF,
    "promotions:commendations": STAFF,
    "promotions:commendations-export": STAFF,
    "promotions:commendation-new": ORG,
    "promotions:candidates": STAFF,
    "promotions:candidates-export": (405,) * 8,
    "promotions:scan": (405,) * 8,
    "register:list": (200, 200, 200, 200, 404, 200, 200, 404),
    "register:export-create": (405,) * 8,
    "stats:index": (200, 200, 200, 200, 404, 404, 200, 404),
    "tolerance:queue": (200, 200, 200, 200, 302, 302, 200, 302),
    "tolerance:queue_export": (200, 200, 200, 200, 404, 404, 200, 404),
    "tolerance:my_cases": ALL,
    "tolerance:file": (404, 200, 200, 404, 200, 200, 404, 404),
}


def object_kind(route: Route, param: str) -> str | None:
    for pattern, name, kind in OBJECT_RULES:
        if name == param and re.search(pattern, route.name):
            return kind
    return None


def value_of(route: Route, param: str) -> str | None:
    if route.choice is not None and route.choice[0] == param:
        return route.choice[1]
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
    # a ruling of case_a in preparation: the organization department handling the case
    "draft_a": {"admin", "clerk_a"},
    # evidence 张三 uploaded to case_a: the authority's staff, auditors, and the uploader
    "evidence_a": {"admin", "clerk_a", "cadre_a1", "auditor"},
    # the signed delivery receipt of case_a: whoever reads the case
    "receipt_a": {"admin", "clerk_a", "discipline", "cadre_a1", "auditor"},
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
    # an import job (a roster refused, with its error workbook): its requester alone
    "import_clerk_a": {"clerk_a"},
    # unit-level evidence rows, reached on their entry form by whoever may write evidence
    # for the unit (evidence_writable_units: organization departments above it, admins)
    "team_a1": {"admin", "clerk_a", "clerk_city"},
    "team_b1": {"admin", "clerk_city"},
    "target_a": {"admin", "clerk_a", "clerk_city"},  # county A's target grade
    "target_b": {"admin", "clerk_city"},  # district B's
    "poverty_a": {"admin", "clerk_a", "clerk_city"},
    "poverty_b": {"admin", "clerk_city"},
    "rank_a": {"admin", "clerk_a", "clerk_city"},
    "rank_b": {"admin", "clerk_city"},
    # a competition of township A1 against B1: changed only by who writes for both units
    # (county A's staff read it, for A1, but may not change it)
    "competition_ab": {"admin", "clerk_city"},
    # 张三's and 李四's monthly reports: changed by who may change the cadre and enters
    # monthly reports (organization departments, the unit's HR officer)
    "monthly_a1": {"admin", "clerk_a", "hr_a1"},
    "monthly_b1": {"admin"},
    # feedback to 张三 (cadre-level, as above) and to township B1 (unit-level)
    "feedback_a1": {"admin", "clerk_a", "hr_a1"},
    "feedback_b1": {"admin", "clerk_city"},
    # 张三's and 李四's quarterly check-ups: read like the cadre's record (visible_cadres)
    "checkup_a1": {"admin", "clerk_a", "discipline", "hr_a1", "cadre_a1", "auditor"},
    "checkup_b1": {"admin", "discipline"},
    # the warnings those check-ups raised: resolved by organization departments that may
    # change the cadre (checkup_cadres); never the HR officer, never the cadre
    "warning_a1": {"admin", "clerk_a"},
    "warning_b1": {"admin"},
    # county A's exceptional-promotion request for 张三, submitted: the authority's staff and
    # auditors, and the cadre once it is no longer a draft; and a draft the cadre does not see
    "exceptional_a1": {"admin", "clerk_a", "auditor", "cadre_a1"},
    "exceptional_draft": {"admin", "clerk_a", "auditor"},
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
    # A unit's bonus page (promotions.incentives.access.staff_units): authority staff and
    # auditors of the authorities above it, administrators; not the unit's HR officer.
    "promotions:bonus-unit": {
        "unit_a1": {"admin", "clerk_a", "clerk_city", "discipline", "auditor"},
        "unit_b1": {"admin", "clerk_city", "discipline"},
    },
    # Ranks are entered a whole group at a time: the entry form of one rank is not found by
    # anyone. (The entry form of one check-up is the URL of assessments:checkup, which the
    # resolver meets first: the check-up's page, with the check-up's reach.)
    "assessments:entry-edit[ranks]": {"rank_a": set(), "rank_b": set()},
}
# Objects that are a persona's own (the other relations are in or outside its reach).
OWN = {
    "cadre_a1": "cadre_a1",
    "case_a": "cadre_a1",
    "evidence_a": "cadre_a1",
    "receipt_a": "cadre_a1",
    "grade_a1": "cadre_a1",
    "note_clerk_a": "clerk_a",
    "export_clerk_a": "clerk_a",
    "import_clerk_a": "clerk_a",
    "monthly_a1": "cadre_a1",
    "feedback_a1": "cadre_a1",
    "checkup_a1": "cadre_a1",
    "warning_a1": "cadre_a1",
    "exceptional_a1": "cadre_a1",
    "exceptional_draft": "cadre_a1",
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
    "draft": ["draft_a"],
    "attachment": ["evidence_a"],
    "delivery": ["receipt_a"],
    "notification": ["note_clerk_a"],
    "unit": ["unit_a1", "unit_b1"],
    "grade": ["grade_a1", "grade_b1"],
    "incident": ["incident_a1", "incident_b1"],
    "proposal": ["proposal_a"],
    "petition": ["petition_city"],
    "filing": ["filing_a"],
    "export": ["export_clerk_a"],
    "import": ["import_clerk_a"],
    "team grade": ["team_a1", "team_b1"],
    "target grade": ["target_a", "target_b"],
    "poverty target": ["poverty_a", "poverty_b"],
    "rank": ["rank_a", "rank_b"],
    "competition": ["competition_ab"],
    "monthly report": ["monthly_a1", "monthly_b1"],
    "feedback": ["feedback_a1", "feedback_b1"],
    "checkup": ["checkup_a1", "checkup_b1"],
    "warning": ["warning_a1", "warning_b1"],
    "exceptional": ["exceptional_a1", "exceptional_draft"],
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
    return build_objects(world, personas)


def url_for(route: Route, kind: str, obj, *, missing: bool = False) -> str:
    """The URL of `route` about `obj` (of `kind`), or about a missing object of that kind."""
    kwargs = {}
    for param in route.params:
        param_kind = object_kind(route, param)
        if param_kind is None:
            kwargs[param] = value_of(route, param)
        elif param_kind == kind:
            kwargs[param] = MISSING if missing else obj.pk
        elif param_kind == "case" and kind in ("attachment", "delivery"):
            kwargs[param] = obj.case_id  # the attachment's (delivery's) own case
        else:
            raise AssertionError(f"{route}: no {param_kind} to go with a {kind}")
    return reverse(route.url_name, kwargs=kwargs)


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
    return reverse(route.url_name, kwargs={p: value_of(route, p) for p in route.params})


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


def test_objects_are_the_ones_named(objects):
    """The fixture makes every object the matrix names, and no other."""
    named = sorted(n for names in OBJECTS_OF_KIND.values() for n in names)
    assert sorted(objects) == named == sorted(REACH)


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
        ("cadre_a1", "delivery"),
        ("cadre_a1", "grade"),
        ("clerk_a", "notification"),
        ("clerk_a", "export"),
        ("clerk_a", "import"),
        ("cadre_a1", "monthly report"),
        ("cadre_a1", "feedback"),
        ("cadre_a1", "checkup"),
        ("cadre_a1", "warning"),
        ("cadre_a1", "exceptional"),
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
