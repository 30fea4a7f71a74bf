"""REST API of units and cadres: the pages' scopes, the services' writes, nothing else."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from cadres.enums import ManagementLevel, PostType, Rank, TalentListKind
from cadres.models import Cadre, ListMembership, PositionRecord, TalentList
from cadres.services import snapshot
from core.api_tokens import api_token_issue
from core.models import AuditEvent

from ..factories import CadreFactory, make_id_number

CADRES = "/api/cadres/"
UNITS = "/api/units/"


def cadre_url(cadre_or_pk) -> str:
    return f"{CADRES}{getattr(cadre_or_pk, 'pk', cadre_or_pk)}/"


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_login(user)
    return api


def required_message() -> str:
    """DRF's "This field is required." as the catalogs translate it (several apps do)."""
    from django.utils import translation
    from rest_framework import serializers

    with translation.override("zh-hans"):
        message = str(serializers.CharField().error_messages["required"])
    assert not message.isascii()
    return message


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


# --- reading: the list page's scope ---------------------------------------------------------


@pytest.mark.django_db
def test_api_cadre_list_rows_per_persona(api, world, personas):
    expected = {
        "admin": ["张三", "李四", "王五"],
        "clerk_a": ["张三"],
        "clerk_city": ["王五"],
        "discipline": ["张三", "李四", "王五"],
        "hr_a1": ["张三"],
        "cadre_a1": ["张三"],
        "auditor": ["张三"],
        "outsider": [],
    }
    for persona, rows in expected.items():
        response = as_user(api, getattr(personas, persona)).get(CADRES)
        assert sorted(names(response)) == sorted(rows), persona


@pytest.mark.django_db
def test_api_cadre_detail_missing_and_forbidden_answer_alike(api, world, personas):
    as_user(api, personas.clerk_a)
    forbidden = api.get(cadre_url(world.cadre_b1))
    missing = api.get(cadre_url(10**12))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() == {
        "error": {"code": "not_found", "message": "未找到。", "fields": {}}
    }


@pytest.mark.django_db
def test_api_cadre_detail_shows_the_record_with_the_id_masked(api, world, personas):
    cadre = world.cadre_a1
    response = as_user(api, personas.clerk_a).get(cadre_url(cadre))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "张三"
    assert body["unit"] == world.township_a1.pk
    assert body["unit_name"] == "甲县城关镇"
    assert body["national_id_masked"] == cadre.masked_national_id
    assert body["rank"] == Rank.PRINCIPAL_STAFF_4
    assert body["rank_label"] == "四级主任科员"
    assert body["talent_lists"] == []
    assert "national_id" not in body
    assert cadre.national_id not in response.content.decode()


@pytest.mark.django_db
def test_api_full_national_ids_never_leave_even_for_administrators(api, world, personas):
    as_user(api, personas.admin)
    text = api.get(CADRES).content.decode() + api.get(cadre_url(world.cadre_a1)).content.decode()
    for cadre in (world.cadre_a1, world.cadre_b1, world.cadre_city):
        assert cadre.national_id not in text
        assert cadre.masked_national_id in text


@pytest.mark.django_db
def test_api_needs_authentication(api, world):
    response = api.get(CADRES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "error": {"code": "not_authenticated", "message": "身份认证信息未提供。", "fields": {}}
    }


@pytest.mark.django_db
def test_api_token_authentication_has_the_users_scope(api, world, personas):
    key, _token = api_token_issue(personas.clerk_a, actor=None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert names(api.get(CADRES)) == ["张三"]
    api.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    response = api.get(CADRES)
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "authentication_failed",
        "message": "认证令牌无效。",
        "fields": {},
    }


@pytest.mark.django_db
def test_api_token_of_a_deactivated_user_stops_working(api, world, personas):
    key, _token = api_token_issue(personas.clerk_a, actor=None)
    personas.clerk_a.is_active = False
    personas.clerk_a.save()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(CADRES).status_code == 401


@pytest.mark.django_db
def test_api_cadre_list_filters_as_on_the_list_page(api, world, personas):
    pool = TalentList.objects.create(code="lion", name="狮子型", kind=TalentListKind.POOL)
    ListMembership.objects.create(cadre=world.cadre_a1, talent_list=pool)
    as_user(api, personas.admin)
    assert names(api.get(CADRES, {"q": "zs"})) == ["张三"]
    assert names(api.get(CADRES, {"unit": world.county_b.pk})) == ["李四"]
    assert names(api.get(CADRES, {"management_level": ManagementLevel.CITY})) == ["王五"]
    assert names(api.get(CADRES, {"talent_list": pool.pk})) == ["张三"]
    assert names(api.get(CADRES, {"rank_min": Rank.RESEARCHER_4})) == []
    assert len(names(api.get(CADRES, {"rank_max": Rank.PRINCIPAL_STAFF_4}))) == 3


@pytest.mark.django_db
def test_api_cadre_filter_on_a_unit_outside_the_scope_is_an_input_error(api, world, personas):
    response = as_user(api, personas.clerk_a).get(CADRES, {"unit": world.county_b.pk})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == "提交的数据有误，请检查各字段。"
    assert list(error["fields"]) == ["unit"]


@pytest.fixture
def crowd(world):
    """120 county-managed cadres in township A1, each in two pools."""
    pools = [
        TalentList.objects.create(code="lion", name="狮子型", kind=TalentListKind.POOL),
        TalentList.objects.create(code="young", name="优秀年轻干部", kind=TalentListKind.LIST),
    ]
    cadres = [
        CadreFactory(
            name=f"干部{i:03d}",
            unit=world.township_a1,
            birth_date=dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
        )
        for i in range(120)
    ]
    ListMembership.objects.bulk_create(
        [ListMembership(cadre=c, talent_list=p) for c in cadres for p in pools]
    )
    return cadres


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 50])
def test_api_cadre_list_query_count_is_constant(
    api, world, personas, crowd, django_assert_num_queries, size
):
    as_user(api, personas.clerk_a)
    api.get(CADRES, {"page_size": size})  # warm the content-type cache
    # session, user, groups, authorities + their root units, the page, the pools
    with django_assert_num_queries(7):
        response = api.get(CADRES, {"page_size": size})
    rows = response.json()["results"]
    assert len(rows) == size
    assert all(sorted(row["talent_lists"]) == ["lion", "young"] for row in rows)


@pytest.mark.django_db
def test_api_cadre_list_pages_by_cursor_through_everything(api, world, personas, crowd):
    as_user(api, personas.clerk_a)
    seen, url, pages = [], CADRES + "?page_size=50", 0
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 121  # the crowd and 张三
    township = Cadre.objects.filter(unit=world.township_a1)
    assert set(seen) == set(township.values_list("pk", flat=True))


@pytest.mark.django_db
def test_api_malformed_cursor_gives_the_first_page(api, world, personas):
    response = as_user(api, personas.admin).get(CADRES, {"cursor": "%%%not-a-cursor"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


# --- writing: only through the services, only for those allowed ---------------------------


def new_cadre(unit, **extra) -> dict:
    birth = dt.date(1985, 3, 9)
    return {
        "name": "陈一",
        "gender": "F",
        "birth_date": birth.isoformat(),
        "national_id": make_id_number(birth, gender="F"),
        "unit": unit.pk,
        "position": "副镇长",
        "post_type": PostType.LEADERSHIP,
        "rank": Rank.SECTION_DEPUTY,
        "rank_since": "2021-06-01",
        "management_level": ManagementLevel.COUNTY,
        "reason": "新任职",
        **extra,
    }


@pytest.mark.django_db
def test_api_cadre_create_by_a_clerk_goes_through_the_service(api, world, personas):
    data = new_cadre(world.township_a1)
    response = as_user(api, personas.clerk_a).post(CADRES, data, format="json")
    assert response.status_code == 201, response.content
    cadre = Cadre.objects.get(national_id=data["national_id"])
    body = response.json()
    assert body["id"] == cadre.pk
    assert body["name"] == "陈一"
    assert body["national_id_masked"] == cadre.masked_national_id
    assert body["ethnicity"] == "汉族"
    assert body["status"] == "serving"
    event = AuditEvent.objects.get(action="cadre.create", object_id=str(cadre.pk))
    assert event.actor == personas.clerk_a
    assert event.reason == "新任职"
    assert event.authority_id == world.county_a_org.pk
    assert event.after == snapshot(cadre)
    position = PositionRecord.objects.get(cadre=cadre)
    assert (position.title, position.move) == ("副镇长", "appointed")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "message"),
    [
        ("auditor", "审计人员只能查看，不能修改。"),
        ("cadre_a1", "您无权添加干部。"),
        ("outsider", "您无权添加干部。"),
        ("discipline", "您无权添加干部。"),
    ],
)
def test_api_cadre_create_refused_with_403(api, world, personas, persona, message):
    before = Cadre.objects.count()
    response = as_user(api, getattr(personas, persona)).post(
        CADRES, new_cadre(world.township_a1), format="json"
    )
    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "permission_denied", "message": message, "fields": {}}
    }
    assert Cadre.objects.count() == before
    assert not AuditEvent.objects.filter(action="cadre.create").exists()


@pytest.mark.django_db
def test_api_cadre_create_outside_the_jurisdiction_is_refused_by_the_service(
    api, world, personas
):
    response = as_user(api, personas.clerk_a).post(
        CADRES, new_cadre(world.township_b1), format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "您无权在该单位新增干部。"
    assert not Cadre.objects.filter(name="陈一").exists()


@pytest.mark.django_db
def test_api_cadre_create_with_a_bad_id_number_names_the_field_in_chinese(api, world, personas):
    data = new_cadre(world.township_a1)
    last = data["national_id"][-1]
    data["national_id"] = data["national_id"][:-1] + ("0" if last != "0" else "1")
    response = as_user(api, personas.clerk_a).post(CADRES, data, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "提交的数据有误，请检查各字段。",
            "fields": {"national_id": ["身份证号码校验位错误。"]},
        }
    }
    assert not Cadre.objects.filter(name="陈一").exists()


@pytest.mark.django_db
def test_api_cadre_create_with_missing_fields_lists_each(api, world, personas):
    response = as_user(api, personas.clerk_a).post(CADRES, {"name": "陈一"}, format="json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["national_id"] == [required_message()]
    assert set(fields) == {
        "gender",
        "birth_date",
        "national_id",
        "unit",
        "position",
        "post_type",
        "rank",
        "rank_since",
        "management_level",
    }


@pytest.mark.django_db
def test_api_cadre_patch_writes_the_change_and_one_audit_row(api, world, personas):
    cadre = world.cadre_a1
    response = as_user(api, personas.clerk_a).patch(
        cadre_url(cadre), {"position": "副科长", "reason": "职务名称更正"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["position"] == "副科长"
    cadre.refresh_from_db()
    assert cadre.position == "副科长"
    event = AuditEvent.objects.get(action="cadre.update", object_id=str(cadre.pk))
    assert (event.actor, event.reason) == (personas.clerk_a, "职务名称更正")
    assert (event.before, event.after) == ({"position": "科员"}, {"position": "副科长"})


@pytest.mark.django_db
def test_api_cadre_patch_ignores_protected_and_unknown_fields(api, world, personas):
    """Mass assignment probe: everything but the edit page's fields is ignored."""
    cadre = world.cadre_a1
    before = (snapshot(cadre), cadre.created_at, cadre.pk)
    probe = {
        "reason": "试探",
        "id": 999999,
        "unit": world.township_b1.pk,
        "rank": Rank.MINISTER,
        "rank_since": "2000-01-01",
        "national_id_masked": "110101199001011234",
        "created_at": "2000-01-01T00:00:00Z",
        "updated_at": "2000-01-01T00:00:00Z",
        "talent_lists": ["lion"],
        "unit_name": "别处",
        "rank_label": "省部级正职",
        "name_pinyin": "x",
    }
    response = as_user(api, personas.clerk_a).patch(cadre_url(cadre), probe, format="json")
    assert response.status_code == 200
    cadre.refresh_from_db()
    assert (snapshot(cadre), cadre.created_at, cadre.pk) == before
    assert not AuditEvent.objects.filter(action="cadre.update").exists()
    assert not PositionRecord.objects.filter(cadre=cadre, start_date="2000-01-01").exists()


@pytest.mark.django_db
def test_api_cadre_patch_needs_a_reason(api, world, personas):
    response = as_user(api, personas.clerk_a).patch(
        cadre_url(world.cadre_a1), {"position": "副科长"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"reason": [required_message()]}
    world.cadre_a1.refresh_from_db()
    assert world.cadre_a1.position == "科员"


@pytest.mark.django_db
def test_api_cadre_patch_of_a_birth_date_against_the_id_is_refused(api, world, personas):
    response = as_user(api, personas.clerk_a).patch(
        cadre_url(world.cadre_a1), {"birth_date": "1981-05-17", "reason": "更正"}, format="json"
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert list(fields) == ["birth_date"]
    world.cadre_a1.refresh_from_db()
    assert world.cadre_a1.birth_date == dt.date(1980, 5, 17)


@pytest.mark.django_db
def test_api_cadre_new_id_number_is_written_and_audited_masked(api, world, personas):
    cadre = world.cadre_a1
    new_id = make_id_number(cadre.birth_date)
    response = as_user(api, personas.clerk_a).patch(
        cadre_url(cadre), {"national_id": new_id.lower(), "reason": "换证"}, format="json"
    )
    assert response.status_code == 200
    assert new_id not in response.content.decode()
    cadre.refresh_from_db()
    assert cadre.national_id == new_id
    event = AuditEvent.objects.get(action="cadre.update")
    assert new_id not in str(event.after)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("auditor", 403),  # auditors only read
        ("cadre_a1", 404),  # sees the record, may not change it
        ("discipline", 404),
        ("clerk_city", 404),
        ("outsider", 404),
        ("hr_a1", 200),
        ("clerk_a", 200),
    ],
)
def test_api_cadre_patch_as_on_the_edit_page(api, world, personas, persona, status):
    response = as_user(api, getattr(personas, persona)).patch(
        cadre_url(world.cadre_a1), {"position": "副科长", "reason": "更正"}, format="json"
    )
    assert response.status_code == status
    world.cadre_a1.refresh_from_db()
    assert world.cadre_a1.position == ("副科长" if status == 200 else "科员")


@pytest.mark.django_db
def test_api_cadre_put_replaces_the_editable_fields(api, world, personas):
    cadre = world.cadre_a1
    as_user(api, personas.clerk_a)
    current = api.get(cadre_url(cadre)).json()
    data = {
        name: current[name]
        for name in ("name", "gender", "birth_date", "position", "post_type", "management_level")
    }
    response = api.put(cadre_url(cadre), {**data, "name": "张叁", "reason": "更名"}, format="json")
    assert response.status_code == 200, response.content
    cadre.refresh_from_db()
    assert cadre.name == "张叁"


@pytest.mark.django_db
def test_api_cadre_delete_is_not_offered(api, world, personas):
    response = as_user(api, personas.admin).delete(cadre_url(world.cadre_a1))
    assert response.status_code == 405
    assert response.json()["error"] == {
        "code": "method_not_allowed",
        "message": "方法 “DELETE” 不被允许。",
        "fields": {},
    }
    assert Cadre.objects.filter(pk=world.cadre_a1.pk).exists()


@pytest.mark.django_db
def test_api_session_writes_need_the_csrf_token(world, personas):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(personas.clerk_a)
    response = api.patch(
        cadre_url(world.cadre_a1), {"position": "副科长", "reason": "更正"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "csrf_failed",
        "message": "CSRF 校验失败：请在 X-CSRFToken 请求头中提交 csrftoken Cookie 的值。",
        "fields": {},
    }
    world.cadre_a1.refresh_from_db()
    assert world.cadre_a1.position == "科员"


# --- units --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_units_per_persona_in_tree_order_with_parents(api, world, personas):
    body = as_user(api, personas.clerk_a).get(UNITS).json()
    assert [(u["name"], u["parent"], u["depth"]) for u in body["results"]] == [
        ("甲县", world.city.pk, 2),
        ("甲县城关镇", world.county_a.pk, 3),
    ]
    assert body["results"][0]["kind_label"] == "县（市）"
    assert [u["name"] for u in as_user(api, personas.cadre_a1).get(UNITS).json()["results"]] == [
        "甲县城关镇"
    ]
    assert as_user(api, personas.outsider).get(UNITS).json()["results"] == []
    assert len(as_user(api, personas.admin).get(UNITS).json()["results"]) == 6


@pytest.mark.django_db
def test_api_units_filters(api, world, personas):
    as_user(api, personas.admin)
    under = api.get(UNITS, {"under": world.county_b.pk}).json()["results"]
    assert [u["name"] for u in under] == ["乙区", "乙区大明湖街道"]
    townships = api.get(UNITS, {"kind": "township"}).json()["results"]
    assert [u["name"] for u in townships] == ["乙区大明湖街道", "甲县城关镇"]  # by code
    assert [u["code"] for u in api.get(UNITS, {"q": "发展"}).json()["results"]] == ["3701D01"]
    assert api.get(UNITS, {"under": 10**12}).json()["results"] == []


@pytest.mark.django_db
def test_api_unit_detail_outside_the_scope_is_404(api, world, personas):
    as_user(api, personas.clerk_a)
    assert api.get(f"{UNITS}{world.county_a.pk}/").json()["parent"] == world.city.pk
    assert api.get(f"{UNITS}{world.county_b.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 6])
def test_api_unit_list_query_count_is_constant(
    api, world, personas, django_assert_num_queries, size
):
    as_user(api, personas.admin)
    api.get(UNITS)
    with django_assert_num_queries(5):  # session, user, groups, the page, the parents
        response = api.get(UNITS, {"page_size": size})
    assert len(response.json()["results"]) == size


@pytest.mark.django_db
def test_api_odd_paging_input_is_refused_and_a_foreign_cursor_gives_the_first_page(
    api, world, personas
):
    from core.paging import encode_cursor

    as_user(api, personas.admin)
    first = api.get(CADRES, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    nul = encode_cursor("n", [world.township_a1.pk, 30, "张\x00", 1])  # PostgreSQL refuses NUL
    for params in ({"page_size": "²"}, {"page_size": "0"}, {"page_size": "101"},
                   {"page_size": ""}, {"page_size": ["2", "3"]}):
        response = api.get(CADRES, params)
        assert response.status_code == 400, params
        assert list(response.json()["error"]["fields"]) == ["page_size"]
    assert api.get(CADRES, {"page_size": "0"}).json()["error"]["fields"]["page_size"] == [
        "每页行数须为 1 到 100 之间的整数。"
    ]
    assert api.get(CADRES, {"page_size": 2, "cursor": nul}).json() == first


@pytest.mark.django_db
def test_api_empty_or_repeated_filters_are_refused(api, world, personas):
    as_user(api, personas.admin)
    empty = api.get(CADRES, {"status": ""})
    assert empty.status_code == 400
    assert empty.json()["error"]["fields"] == {"status": ["此筛选条件不能为空。"]}
    twice = api.get(CADRES, {"q": ["张", "李"]})
    assert twice.json()["error"]["fields"] == {"q": ["此筛选条件只能给出一次。"]}
    assert api.get(CADRES, {"q": "张"}).status_code == 200
