"""Every query of the list pages has an index path: no sequential scan of a big table.

On PostgreSQL with `enable_seqscan = off`, the planner still chooses a sequential scan
where no index can serve the query (the scan's cost is only penalised, not forbidden), so a
"Seq Scan on <table>" in such a plan means the page would read the whole table at scale.
Each page is requested as each persona, its SQL captured and EXPLAINed.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.enums import TeamGrade
from assessments.models import TeamAssessment
from cadres.enums import ManagementLevel
from clarifications.enums import Channel
from clarifications.models import Petition
from core.enums import Role
from core.models import DocumentKind
from core.paging import COUNT_CAP
from promotions.enums import TriggerArea
from promotions.incentives.enums import CommendationKind
from promotions.models import Commendation, ExceptionalRequest, PromotionPolicy, Proposal
from tests.factories import CadreFactory, make_user
from tolerance.enums import CaseState, StartedBy
from tolerance.models import AccountabilityMatter, Case, CaseCadre, PolicyVersion

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Tables that hold (or will hold) far more than 10,000 rows at provincial scale.
BIG_TABLES = {
    "cadres_cadre",
    "tolerance_case",
    "tolerance_casecadre",
    "tolerance_accountabilitymatter",
    "tolerance_accountabilitymatter_cadres",
    "promotions_proposal",
    "core_issueddocument",
    "clarifications_petition",
    "promotions_commendation",
    "promotions_exceptionalrequest",
    "assessments_teamassessment",
}
PAGES = ("cadres:list", "tolerance:queue", "promotions:proposals")
# The other jurisdiction-scoped lists and the home page's counts, as the staff see them.
STAFF_PAGES = (
    ("register:list", ()),
    ("clarifications:list", ()),
    ("assessments:entry", ("team",)),
    ("promotions:commendations", ()),
    ("promotions:exceptional_list", ()),
    ("home", ()),
)
STAFF = ("clerk_a", "clerk_city", "auditor", "admin")


@pytest.fixture
def rows(world, personas):
    """Cadres in every unit of the little world, cases and proposals of both authorities."""
    filer = make_user("filer")
    policy = PolicyVersion.objects.filter(status="published").order_by("id").first()
    cadres = [
        *CadreFactory.create_batch(6, unit=world.township_a1),
        *CadreFactory.create_batch(6, unit=world.township_b1),
        *CadreFactory.create_batch(6, unit=world.bureau, management_level=ManagementLevel.CITY),
    ]
    today = timezone.localdate()
    for k, cadre in enumerate(cadres):
        authority = world.city_org if cadre.unit == world.bureau else world.county_a_org
        due_on = today + dt.timedelta(days=k % 5) if k % 3 else None
        case = _submitted_case(authority, cadre, filer, policy, f"事项{k}", due_on=due_on)
        Proposal.objects.create(
            authority=authority,
            cadre=cadre,
            unit=cadre.unit,
            area=TriggerArea.TARGET,
            year=2024,
            clause="test",
        )
        _other_lists(k, case, cadre, authority, filer)
    return cadres


def _submitted_case(authority, cadre, filer, policy, title, *, due_on=None) -> Case:
    """A submitted case about one cadre, filed with `authority`."""
    matter = AccountabilityMatter.objects.create(
        title=title,
        description="说明",
        occurred_on=dt.date(2025, 1, 1),
        action="诫勉",
        action_by="纪委",
        created_by=filer,
    )
    case = Case.objects.create(
        authority=authority,
        policy_version=policy,
        matter=matter,
        started_by=StartedBy.CADRE,
        state=CaseState.SUBMITTED,
        filed_by=filer,
        applicant_unit=cadre.unit,
        application_text="说明",
        due_on=due_on,
    )
    CaseCadre.objects.create(case=case, cadre=cadre)
    return case


def _other_lists(k, case, cadre, authority, filer) -> None:
    """A document about the case, a petition, a commendation, an exceptional request and a
    team grade, for the other lists."""
    from core.documents import document_issue

    def render(number, issued_on):
        return f"{number}.pdf", "application/pdf", f"%PDF-1.7\n% {number}\n".encode()

    document_issue(
        key=f"test.plans:{k}",
        kind=DocumentKind.TOLERANCE_RULING,
        authority=authority,
        series="容",
        title="容错认定决定书",
        render=render,
        subject=case,
        cadre=cadre,
    )
    Petition.objects.create(
        authority=authority,
        received_on=dt.date(2025, 1, 1 + k),
        channel=Channel.LETTER,
        cadre=cadre,
        allegations="反映问题",
        created_by=filer,
    )
    Commendation.objects.create(
        kind=CommendationKind.COMMENDED,
        year=2024,
        granted_on=dt.date(2024, 5, 1),
        granted_by="市委",
        citation="表现突出",
        cadre=cadre,
        unit=cadre.unit,
        cadre_unit=cadre.unit,
        cadre_level=cadre.management_level,
        authority=authority,
    )
    ExceptionalRequest.objects.create(
        authority=authority,
        cadre=cadre,
        unit=cadre.unit,
        current_rank=4,
        target_rank=5,
        target_title="副局长",
        situation="test",
        situation_title="情形",
        reasons="实绩",
        policy=PromotionPolicy.objects.order_by("id").first(),
    )
    TeamAssessment.objects.get_or_create(
        unit=cadre.unit, year=2020 + k, defaults={"grade": TeamGrade.GOOD}
    )


def _seq_scans(sql: str) -> list[str]:
    """The big tables this statement reads whole: a sequential scan, or (what
    `enable_seqscan = off` turns one into) an index scan with no index condition that
    filters every row it reads."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
    return [
        f"{node['Node Type']} on {node['Relation Name']}"
        for node in _nodes(plan[0]["Plan"])
        if node.get("Relation Name") in BIG_TABLES and _reads_whole(node)
    ]


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def _reads_whole(node: dict) -> bool:
    kind = node["Node Type"]
    if kind == "Seq Scan":
        return True
    unbounded = kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node
    return unbounded and "Filter" in node


def test_the_plan_check_sees_a_whole_table_read_behind_an_index():
    """What `enable_seqscan = off` makes of an OR of two grant semi-joins on the cadre
    table (seen on the evidence page before it read them as separate paths): a walk of the
    whole primary key index, filtering each row."""
    whole = {"Node Type": "Index Only Scan", "Filter": "((hashed SubPlan 1) OR (hashed SubPlan 2))"}
    assert _reads_whole(whole)
    assert _reads_whole({"Node Type": "Seq Scan"})
    assert not _reads_whole({**whole, "Index Cond": "(id = ANY ($0))"})
    assert not _reads_whole({"Node Type": "Index Scan"})  # in an order, stopped by a LIMIT


PERSONAS = ("clerk_a", "clerk_city", "auditor", "hr_a1", "admin")
# A unit HR officer has no work queue (the queue redirects to their own cases).
VISITS = [(page, who) for page in PAGES for who in PERSONAS if (page, who) != (PAGES[1], "hr_a1")]


@pytest.mark.parametrize(("page", "persona"), VISITS)
def test_list_page_queries_have_index_paths(client, on_postgres, personas, rows, persona, page):
    client.force_login(getattr(personas, persona))
    url = reverse(page)
    client.get(url)  # sessions, content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith(("SELECT", "("))]
    assert selects
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    found = {sql[:120]: _seq_scans(sql) for sql in selects}
    assert {sql: tables for sql, tables in found.items() if tables} == {}


@pytest.mark.parametrize(
    ("page", "args", "persona"), [(p, a, who) for p, a in STAFF_PAGES for who in STAFF]
)
def test_other_list_pages_have_index_paths(
    client, on_postgres, personas, rows, page, args, persona
):
    """The register, petitions, evidence, commendations, exceptional requests and the home
    page's counts: every SELECT has an index path."""
    client.force_login(getattr(personas, persona))
    url = reverse(page, args=args)
    client.get(url)  # sessions, content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith(("SELECT", "("))]
    assert selects
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    found = {sql[:120]: _seq_scans(sql) for sql in selects}
    assert {sql: tables for sql, tables in found.items() if tables} == {}


def test_cadre_list_reads_each_access_path_on_its_own(client, on_postgres, personas, rows, world):
    """The county clerk's page: a UNION of one ordered, limited branch per access path (the
    jurisdiction as a list of unit ids and a level; the two kinds of grants)."""
    client.force_login(personas.clerk_a)
    client.get(reverse("cadres:list"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("cadres:list"))
    page_sql = next(
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "cadres_cadre"."id"') and "UNION" in q["sql"]
    )
    units = sorted([world.county_a.pk, world.township_a1.pk])
    level, ids = "\"management_level\" = 'county'", rf"IN \({units[0]}, {units[1]}\)"
    assert re.search(rf'{level} AND \w+\."unit_id" {ids}', page_sql)
    assert page_sql.count("UNION") == 2  # three branches
    assert page_sql.count("LIMIT 26") == 4  # each branch, and the page itself


@pytest.fixture
def clerk_b(world, rows):
    """The clerk of a second, busier county (B): its own organization department, with
    more cases, documents and commendations than county A."""
    from tests.factories import make_authority

    county_b_org = make_authority(
        "中共乙区区委组织部",
        roots=[world.county_b],
        levels=[ManagementLevel.COUNTY],
        short_name="乙组",
    )
    filer = make_user("filer_b")
    policy = PolicyVersion.objects.filter(status="published").order_by("id").first()
    for k, cadre in enumerate(CadreFactory.create_batch(12, unit=world.township_b1)):
        case = _submitted_case(county_b_org, cadre, filer, policy, f"乙事项{k}")
        _other_lists(18 + k, case, cadre, county_b_org, filer)
    return make_user("clerk_b", Role.INTAKE_CLERK, authorities=[county_b_org])


def _page_sql(client, user, url) -> list[str]:
    client.force_login(user)
    client.get(url)  # sessions, content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("persona", ["clerk_a", "clerk_b", "clerk_city"])
def test_register_count_is_a_union_of_capped_index_paths(
    client, on_postgres, personas, clerk_b, persona
):
    """The register's count (up to the cap) counts each access path on its own, each
    capped, and no path reads a big table sequentially: a small county's (A), a busier
    county's (B) and the city's clerk."""
    user = clerk_b if persona == "clerk_b" else getattr(personas, persona)
    count_sql = [
        sql
        for sql in _page_sql(client, user, reverse("register:list"))
        if sql.startswith("SELECT COUNT(*)") and "core_issueddocument" in sql
    ]
    assert len(count_sql) == 1
    assert count_sql[0].count(f"LIMIT {COUNT_CAP + 1}") == count_sql[0].count("UNION") + 1 > 1
    plan = _plan(count_sql[0])
    assert [t for t in re.findall(r"Seq Scan on (\w+)", plan) if t in BIG_TABLES] == []


@pytest.mark.parametrize(
    ("persona", "level"),
    [("clerk_a", "county"), ("clerk_b", "county"), ("clerk_city", "city")],
)
def test_commendations_read_the_jurisdiction_from_the_placement_index(
    client, on_postgres, world, personas, clerk_b, persona, level
):
    """Each jurisdiction path is `cadre_unit IN (units) AND cadre_level = level` on the
    commendation itself, read from the (cadre_unit, cadre_level, list order) index, not a
    join to every cadre; the page lists exactly the commendations of the jurisdiction."""
    user = clerk_b if persona == "clerk_b" else getattr(personas, persona)
    sqls = _page_sql(client, user, reverse("promotions:commendations"))
    page_sql = next(s for s in sqls if "UNION" in s and "promotions_commendation" in s)
    assert f"\"cadre_level\" = '{level}'" in page_sql
    assert re.search(r'"cadre_unit_id" IN \([\d, ]+\)', page_sql)
    plan = _plan(page_sql)
    # The jurisdiction branch: one index condition on the commendation (the placement
    # index is the only one that leads with the unit); cadres are joined only by primary
    # key for the rows shown.
    assert re.search(
        r"Index (Only )?Scan using commendation_by_placement on promotions_commendation \w+ "
        r".*\n\s+Index Cond: \(\(cadre_unit_id = ANY",
        plan,
    ), plan
    assert "Seq Scan on cadres_cadre" not in plan
    units = {
        "clerk_a": {world.county_a.pk, world.township_a1.pk},
        "clerk_b": {world.county_b.pk, world.township_b1.pk},
    }.get(persona)
    expected = Commendation.objects.filter(cadre_level=level)
    if units is not None:
        expected = expected.filter(cadre_unit__in=units)
    response = client.get(reverse("promotions:commendations"))
    assert {c.pk for c in response.context["page"]} == set(expected.values_list("pk", flat=True))


def test_document_kind_and_subject_type_are_known_to_go_together(on_postgres):
    """Every reading rule's path filters `kind IN (…) AND content_type = …`; PostgreSQL keeps
    extended statistics (functional dependencies and common pairs) on the two columns, so
    it does not multiply their selectivities and misjudge how many documents a path reads
    (core migration 0018)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.stxkind, array_agg(a.attname::text ORDER BY a.attname) "
            "FROM pg_statistic_ext s JOIN pg_attribute a "
            "ON a.attrelid = s.stxrelid AND a.attnum = ANY(s.stxkeys) "
            "WHERE s.stxrelid = 'core_issueddocument'::regclass "
            "AND s.stxname = 'core_issueddocument_kind_type' GROUP BY s.stxkind"
        )
        found = cursor.fetchall()
    assert [(sorted(kinds), columns) for kinds, columns in found] == [
        (["f", "m"], ["content_type_id", "kind"])
    ]


@pytest.mark.parametrize("persona", ["clerk_a", "clerk_b", "clerk_city"])
def test_register_reads_an_authoritys_case_documents_by_their_subject_authority(
    client, on_postgres, personas, clerk_b, persona
):
    """The path "cases of my authority" reads the documents by the authority stored on them
    (served at scale by the (content_type, subject_authority, issued_on, id) index, not by
    looking up the case of every document of the kind); the page still lists exactly the
    documents the user may read, one by one (core.document_access.can_read)."""
    from core.document_access import can_read
    from core.models import IssuedDocument

    user = clerk_b if persona == "clerk_b" else getattr(personas, persona)
    sqls = _page_sql(client, user, reverse("register:list"))
    page_sql = next(
        s for s in sqls if "UNION" in s and s.startswith('SELECT "core_issueddocument"')
    )
    for pk in user.authority_ids:
        assert f'"subject_authority_id" = {pk}' in page_sql
    plan = _plan(page_sql)  # (the index itself is chosen at scale: bench/load/explain.py)
    assert [t for t in re.findall(r"Seq Scan on (\w+)", plan) if t in BIG_TABLES] == []
    response = client.get(reverse("register:list"))
    readable = {d.pk for d in IssuedDocument.objects.all() if can_read(user, d)}
    assert readable
    assert {row.id for row in response.context["page"]} == readable  # rows: named tuples
