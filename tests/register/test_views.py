"""The register page and its filter: rows, conclusions, situations, paging, query counts."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from core.models import IssuedDocument
from register.filters import RegisterFilter
from tests.register.support import *  # noqa: F403 - the fixtures
from tests.register.support import add_documents
from tolerance.enums import Outcome

pytestmark = pytest.mark.django_db

URL = reverse("register:list")
Y = timezone.localdate().year


def _numbers(rows) -> list[str]:
    return [d.number for d in rows]


def _filtered(user, **data) -> list[str]:
    return sorted(d.number for d in RegisterFilter(data, user=user).qs)


def test_the_register_lists_documents_newest_first_with_their_conclusions(client, ledger):
    client.force_login(ledger.people["auditor_a"])
    response = client.get(URL)
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert _numbers(rows) == [
        f"甲组容不受〔{Y}〕1号",
        f"甲组容〔{Y}〕3号",
        f"甲组容〔{Y}〕2号",
        f"甲组容受〔{Y}〕2号",
        f"甲组容复〔{Y}〕1号",
        f"甲组容〔{Y}〕1号",
        f"甲组容受〔{Y}〕1号",
    ]
    found = {d.number: (d.cadre_name, d.outcome, d.situations) for d in rows}
    # The ruling keeps the conclusion it stated; the appeal decision states the new one.
    assert found[f"甲组容〔{Y}〕1号"] == ("张三", "lighter", ["SX-01"])
    assert found[f"甲组容复〔{Y}〕1号"] == ("张三", "mitigated", ["SX-01"])
    assert found[f"甲组容〔{Y}〕2号"][1:] == ("not_tolerated", ["SX-02", "SX-03"])
    assert found[f"甲组容受〔{Y}〕1号"] == (None, None, None)
    assert response.context["count"] == 7
    body = response.content.decode()
    with translation.override("zh-hans"):
        assert str(Outcome.LIGHTER.label) in body and str(Outcome.MITIGATED.label) in body
    assert f"甲组容复〔{Y}〕1号" in body
    assert "济组" not in body


def test_filters_narrow_the_register(ledger):
    admin = ledger.people["admin"]
    zhao_ruling = IssuedDocument.objects.get(cadre__name="赵六").number
    zhang_a2 = f"甲组容〔{Y}〕2号" if zhao_ruling.endswith("3号") else f"甲组容〔{Y}〕3号"
    city = str(ledger.c1.authority_id)
    assert _filtered(admin, authority=city) == sorted([f"济组容受〔{Y}〕1号", f"济组容〔{Y}〕1号"])
    assert _filtered(admin, kind="appeal_decision") == [f"甲组容复〔{Y}〕1号"]
    assert _filtered(admin, kind="non_acceptance_notice") == [f"甲组容不受〔{Y}〕1号"]
    assert _filtered(admin, outcome=Outcome.EXEMPT) == []
    assert _filtered(admin, outcome=Outcome.MITIGATED) == [f"甲组容复〔{Y}〕1号"]
    assert _filtered(admin, outcome=Outcome.LIGHTER) == sorted(
        [f"甲组容〔{Y}〕1号", f"济组容〔{Y}〕1号"])
    assert _filtered(admin, outcome=Outcome.NOT_TOLERATED) == sorted([zhao_ruling, zhang_a2])
    assert _filtered(admin, situation="SX-02") == sorted([zhao_ruling, zhang_a2])
    assert _filtered(admin, situation="JN-01") == [f"济组容〔{Y}〕1号"]  # 济南市's measure
    assert _filtered(admin, situation="SX-01") == sorted(
        [f"甲组容〔{Y}〕1号", f"甲组容复〔{Y}〕1号"]
    )
    assert _filtered(admin, situation="SX-11") == []
    assert _filtered(admin, cadre="赵六") == [zhao_ruling]
    assert _filtered(admin, cadre="zs") == sorted(
        [f"甲组容〔{Y}〕1号", f"甲组容复〔{Y}〕1号", zhang_a2]
    )
    assert _filtered(admin, cadre="wangw") == [f"济组容〔{Y}〕1号"]
    today = timezone.localdate()
    assert len(_filtered(admin, issued_from=today.isoformat(), issued_to=today.isoformat())) == 9
    assert _filtered(admin, issued_from=(today + dt.timedelta(days=1)).isoformat()) == []
    assert _filtered(admin, issued_to=(today - dt.timedelta(days=1)).isoformat()) == []
    assert len(_filtered(admin, year=str(Y))) == 9
    assert _filtered(admin, kind="tolerance_ruling", outcome="exempt", authority=city) == []


def test_a_filter_the_user_may_not_use_selects_nothing(client, ledger):
    auditor = ledger.people["auditor_a"]
    city = str(ledger.c1.authority_id)
    refused = RegisterFilter({"authority": city}, user=auditor)
    assert not refused.is_valid()
    assert list(refused.qs) == []
    assert list(RegisterFilter({"year": "1999"}, user=auditor).qs) == []
    assert list(RegisterFilter({"situation": "NOPE"}, user=auditor).qs) == []
    client.force_login(auditor)
    response = client.get(URL, {"authority": city})
    assert response.status_code == 200
    assert response.context["page"].rows == []
    assert "is-invalid" in response.content.decode()


def test_the_filter_offers_only_what_the_user_can_read(ledger):
    form = RegisterFilter(None, user=ledger.people["auditor_a"]).form
    assert [label for _value, label in form.fields["authority"].choices] == [
        "全部机关", "中共甲县县委组织部"
    ] or [str(a) for a in form.fields["authority"].queryset] == ["中共甲县县委组织部"]
    assert [value for value, _label in form.fields["year"].choices] == ["", str(Y)]
    codes = [value for value, _label in form.fields["situation"].choices]
    # Every published measure's situations: 灌云 18, 济南 1, 陕西 (and the test counties) 11,
    # 浙江 1.
    assert codes[:3] == ["", "GY-01", "GY-02"] and len(codes) == 32


def test_as_data_keeps_only_valid_filled_fields(ledger):
    auditor = ledger.people["auditor_a"]
    data = {"kind": "tolerance_ruling", "cadre": " 张三 ", "outcome": "", "bogus": "x"}
    assert RegisterFilter(data, user=auditor).as_data() == {
        "kind": "tolerance_ruling",
        "cadre": "张三",
    }


def test_pages_follow_each_other_by_keyset(client, ledger, monkeypatch):
    monkeypatch.setattr("register.views.PAGE_SIZE", 4)
    client.force_login(ledger.people["admin"])
    everything = list(IssuedDocument.objects.order_by("-issued_on", "-id").values_list(
        "number", flat=True))
    first = client.get(URL).context["page"]
    assert _numbers(first.rows) == everything[:4] and first.prev_cursor is None
    second = client.get(URL, {"cursor": first.next_cursor}).context["page"]
    assert _numbers(second.rows) == everything[4:8]
    third = client.get(URL, {"cursor": second.next_cursor}).context["page"]
    assert _numbers(third.rows) == everything[8:] and third.next_cursor is None
    back = client.get(URL, {"cursor": third.prev_cursor}).context["page"]
    assert _numbers(back.rows) == everything[4:8]
    assert client.get(URL, {"cursor": "garbage"}).context["page"].rows[0].number == everything[0]


def test_who_opens_the_register(client, ledger):
    assert client.get(URL).status_code == 302  # to the log-in page
    for name in ("outsider", "hr_a1", "granted", "auditor_nowhere"):
        client.force_login(ledger.people[name])
        assert client.get(URL).status_code == 404, name
    client.force_login(ledger.people["zhao"])
    response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].rows) == 2


@pytest.mark.parametrize("persona", ["auditor_both", "admin", "zhang"])
def test_the_register_page_costs_the_same_queries_at_any_size(
    client, ledger, django_assert_num_queries, persona
):
    user = ledger.people[persona]
    # The filter's choices: the newest document and the readable (authority, year) pairs
    # (one UNION over the access paths; register.queries.readable_span); the page found
    # by its sort keys, then its rows read by primary key (register.queries.page_documents).
    expected = {"auditor_both": 15, "admin": 12, "zhang": 12}[persona]
    filters = {"kind": "tolerance_ruling", "cadre": "张三", "situation": "SX-01"}
    client.force_login(user)
    # Once first, so that the process-wide caches (content types) hold what the page asks
    # whatever ran before: the pin counts a page of a warm process.
    client.get(URL, filters)
    cache.clear()
    with django_assert_num_queries(expected):
        small = client.get(URL, filters)
    add_documents(ledger.a1, 60, cadre=ledger.a1.entries.get().cadre)
    cache.clear()
    with django_assert_num_queries(expected):
        large = client.get(URL, filters)
    assert len(small.context["page"].rows) == 1
    assert len(large.context["page"].rows) == 50
    assert large.context["count"] == 61


def test_every_row_names_its_case_and_cadre_notices_included(client, ledger):
    from register.queries import cadre_names, subject_reference

    client.force_login(ledger.people["auditor_a"])
    with translation.override("zh-hans"):
        response = client.get(URL)
        rows = {
            d.number: (subject_reference(d), cadre_names(d))
            for d in response.context["page"].rows
        }
    assert rows == {
        f"甲组容受〔{Y}〕1号": (ledger.a1.reference, "张三"),
        f"甲组容〔{Y}〕1号": (ledger.a1.reference, "张三"),
        f"甲组容复〔{Y}〕1号": (ledger.a1.reference, "张三"),
        f"甲组容受〔{Y}〕2号": (ledger.a2.reference, "张三等2人"),
        f"甲组容〔{Y}〕2号": (ledger.a2.reference, rows[f"甲组容〔{Y}〕2号"][1]),
        f"甲组容〔{Y}〕3号": (ledger.a2.reference, rows[f"甲组容〔{Y}〕3号"][1]),
        f"甲组容不受〔{Y}〕1号": (ledger.a3.reference, "张三"),
    }
    assert {rows[f"甲组容〔{Y}〕2号"][1], rows[f"甲组容〔{Y}〕3号"][1]} == {"张三", "赵六"}
    body = response.content.decode()
    assert ledger.a2.reference in body and "张三等2人" in body


def test_the_register_searched_by_case_number_cadre_or_number_and_sorted(client, ledger):
    client.force_login(ledger.people["auditor_a"])

    def numbers(**params):
        return _numbers(client.get(URL, params).context["page"].rows)

    assert numbers(q=ledger.a2.reference) == [
        f"甲组容〔{Y}〕3号", f"甲组容〔{Y}〕2号", f"甲组容受〔{Y}〕2号",
    ]
    assert numbers(q="zl") == [f"甲组容〔{Y}〕2号", f"甲组容受〔{Y}〕2号"]  # 赵六: ruling + notice
    assert numbers(q="不受") == [f"甲组容不受〔{Y}〕1号"]
    assert numbers(q=ledger.a2.reference, sort="number") == [
        f"甲组容〔{Y}〕2号", f"甲组容〔{Y}〕3号", f"甲组容受〔{Y}〕2号",
    ]
    headers = client.get(URL, {"q": "zl", "sort": "number"}).context["sort"]
    assert headers["number"]["url"] == "?q=zl&sort=-number"
    assert headers["issued"]["state"] == ""


def test_the_register_export_names_the_case_and_cadres_of_notices(ledger):
    import io
    import zipfile

    import openpyxl

    from register.jobs import export_request

    job = export_request(ledger.people["auditor_a"], {"q": ledger.a2.reference})
    job.refresh_from_db()
    with job.archive.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("register.xlsx"))).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0][4:6] == ["案件编号", "干部"]
    found = {r[0]: (r[4], r[5]) for r in table[1:]}
    assert found[f"甲组容受〔{Y}〕2号"] == (ledger.a2.reference, "张三等2人")
    rulings = [found[f"甲组容〔{Y}〕2号"], found[f"甲组容〔{Y}〕3号"]]
    assert sorted(rulings) == [(ledger.a2.reference, "张三"), (ledger.a2.reference, "赵六")]
    assert len(found) == 3


def _exported_numbers(job) -> list[str]:
    import io
    import zipfile

    import openpyxl

    job.refresh_from_db()
    with job.archive.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read("register.xlsx"))).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize("params", [
    {"sort": "kind"}, {"sort": "-number", "q": "甲组"}, {"sort": "number"}, {},
])
def test_the_export_from_the_page_keeps_the_pages_order(client, ledger, params):
    """The export button posts the page's filters and its sort: the workbook's rows are the
    page's rows, in the page's order (the default too: newest first)."""
    from register.models import ExportJob

    client.force_login(ledger.people["auditor_a"])
    page = client.get(URL, params)
    shown = _numbers(page.context["page"].rows)
    posted = page.context["export_data"]
    assert posted["sort"] == params.get("sort", "-issued")
    assert f'name="sort" value="{posted["sort"]}"' in page.content.decode()
    response = client.post(reverse("register:export-create"), posted)
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("register:export", args=[job.pk])
    assert job.filters["sort"] == posted["sort"]
    assert _exported_numbers(job) == shown
    assert len(shown) > 1


def test_an_export_asked_without_a_sort_lists_by_date_of_issue(ledger):
    from register.jobs import export_request

    job = export_request(ledger.people["auditor_a"], {"sort": ""})
    assert "sort" not in job.filters
    numbers = _exported_numbers(job)
    issued = dict(IssuedDocument.objects.values_list("number", "issued_on"))
    assert [issued[n] for n in numbers] == sorted(issued[n] for n in numbers)
    assert numbers[0] == f"甲组容受〔{Y}〕1号"


def test_an_unknown_sort_exports_in_the_default_order(ledger):
    from register.jobs import export_request

    job = export_request(ledger.people["auditor_a"], {"sort": "secret_field"})
    assert job.filters["sort"] == "-issued"
    assert _exported_numbers(job)[0] == f"甲组容不受〔{Y}〕1号"


@pytest.mark.parametrize("extra", [0, 40])
def test_the_export_from_the_page_costs_the_same_queries_at_any_size(
    client, ledger, django_assert_num_queries, extra
):
    """The register's export (run in the request when small, register.jobs), asked from the
    sorted page: a constant number of queries whatever the number of documents."""
    from django.contrib.contenttypes.models import ContentType

    from register.models import ExportJob

    add_documents(ledger.a1, extra, cadre=ledger.a1.entries.get().cadre)
    client.force_login(ledger.people["auditor_a"])
    client.get(URL)
    cache.clear()
    ContentType.objects.get_for_model(ExportJob)  # the audit row's, cached for the process
    # Session, user, roles, authorities; the person's running exports; the job and its
    # audit row (savepoint, top id, count, insert, insert, release); the run: read, claim
    # (register.jobs.export_transition: savepoint, the job locked, update, release), the
    # job, the policy's situations, the requester's roles and authorities, the documents
    # (one statement), finish (savepoint, the job locked, update, audit, release); the job
    # read back twice.
    with django_assert_num_queries(REGISTER_EXPORT_QUERIES):
        client.post(reverse("register:export-create"), {"sort": "kind", "q": "甲组"})
    job = ExportJob.objects.get()
    assert (job.state, job.total) == ("done", 7 + extra)
    assert len(_exported_numbers(job)) == 7 + extra


REGISTER_EXPORT_QUERIES = 28  # the filter's choices are read only to check a value given


def test_the_page_lists_the_user_s_five_latest_exports(client, ledger):
    import re

    from register.jobs import casefile_request, export_request

    clerk = ledger.people["clerk_a"]
    other = export_request(ledger.people["auditor_a"], {})
    own = [export_request(clerk, {"kind": "acceptance_notice"}) for _ in range(5)]
    own.append(casefile_request(clerk, ledger.a1))
    client.force_login(clerk)
    body = client.get(URL).content.decode()
    listed = re.findall(r'<a href="/register/exports/(\d+)/">', body)
    assert listed == [str(job.pk) for job in reversed(own[1:])]
    assert str(other.pk) not in listed
    assert f"{ledger.a1.reference}</span>" in body  # the case file names its case


def test_the_pages_read_with_kept_branches_are_the_pages_read_without(client, ledger, settings):
    """With the access cache on, the page's branches come compiled from the user's cache
    entry (RegisterFilter.compiled_branches): the same pages, both ways, as without."""
    add_documents(ledger.a1, 60, cadre=ledger.a1.entries.get().cadre)
    client.force_login(ledger.people["auditor_both"])

    def walk(params) -> list[tuple]:
        seen, cursor = [], ""
        for step in ("next", "prev", "stay"):
            page = client.get(URL, {**params, **({"cursor": cursor} if cursor else {})})
            context = page.context
            seen.append((_numbers(context["page"].rows), context["count"]))
            cursor = context["page"].next_cursor if step == "next" else context["page"].prev_cursor
        return seen

    for params in ({}, {"sort": "number"}, {"kind": "tolerance_ruling", "sort": "-kind"}):
        settings.ACCESS_CACHE_SECONDS = 0
        expected = walk(params)
        assert len(expected[0][0]) == 50 and expected[0] == expected[2]
        settings.ACCESS_CACHE_SECONDS = 60
        cache.clear()
        assert walk(params) == expected  # compiled and kept
        assert walk(params) == expected  # from the cache
    cache.clear()


@pytest.mark.parametrize("cached_on", [False, True])
def test_a_cadre_filter_that_matches_no_name_lists_nothing(client, ledger, settings, cached_on):
    settings.ACCESS_CACHE_SECONDS = 60 if cached_on else 0
    cache.clear()
    client.force_login(ledger.people["auditor_both"])
    response = client.get(URL, {"cadre": "!!"})  # no letter, digit or character of a name
    assert response.status_code == 200
    assert (response.context["page"].rows, response.context["count"]) == ([], 0)
    cache.clear()
