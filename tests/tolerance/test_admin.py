"""The policy-version admin: drafts editable, published versions frozen, publish and redraft
actions; cases and what hangs off them shown read-only."""

import datetime as dt
import json
from fractions import Fraction

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.enums import Role
from core.models import AuditEvent
from tests.factories import make_user
from tolerance.catalogs import GUANYUN
from tolerance.models import Case, CommitteeMember, PolicyVersion
from tolerance.models.policy import PolicyStatus
from tolerance.policies import policy_version_create
from tolerance.policy_data import policy_to_data

D = dt.date
CHANGELIST = "admin:tolerance_policyversion_changelist"

JINAN_TITLE = "济南市支持党员干部干事创业容错免责实施办法"


def change_url(version) -> str:
    return reverse("admin:tolerance_policyversion_change", args=[version.pk])


def published_default() -> PolicyVersion:
    """Shaanxi's measure, shipped by migration 0004."""
    return PolicyVersion.objects.get(jurisdiction_code="61", status=PolicyStatus.PUBLISHED)


def seeded_draft() -> PolicyVersion:
    """A draft revision of Guanyun's measure (made once per test)."""
    found = PolicyVersion.objects.filter(code="guanyun", status=PolicyStatus.DRAFT).first()
    return found or policy_version_create(
        GUANYUN,
        actor=None,
        title="关于激励干部干事创业担当作为的实施意见",
        effective_from=D(2027, 1, 1),
        jurisdiction_code="320723",
        jurisdiction_name="灌云县",
    )


def form_data(version: PolicyVersion, **changes) -> dict:
    data = {
        "jurisdiction_code": version.jurisdiction_code,
        "jurisdiction_name": version.jurisdiction_name,
        "title": version.title,
        "issuer": version.issuer,
        "label": version.label,
        "effective_from": version.effective_from.isoformat(),
        "note": version.note,
        "content": json.dumps(version.content, ensure_ascii=False, indent=2),
        "quorum": version.quorum,
        "majority": version.majority,
        "majority_base": version.majority_base,
        "decider": version.decider,
        "deliberation_basis": version.deliberation_basis,
    }
    if version.quorum_exceeds:
        data["quorum_exceeds"] = "on"
    data.update(changes)
    return data


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the list ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_jurisdiction_code_title_date_and_status(admin_client, world):
    policy_version_create(
        GUANYUN,
        actor=None,
        title="甲县办法",
        effective_from=D(2026, 1, 1),
        jurisdiction_code=world.county_a.code,
        jurisdiction_name=world.county_a.name,
    )

    response = admin_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    model_admin = response.context["cl"].model_admin
    rows = {
        (str(model_admin.jurisdiction(v)), v.code, v.title, v.effective_from, v.status)
        for v in response.context["cl"].result_list
    }
    assert rows >= {
        (
            "陕西省（61）",
            "shaanxi-2016",
            "陕西省党政干部容错纠错办法（试行）",
            D(2016, 7, 1),
            "published",
        ),
        ("济南市（3701）", "jinan-2016", JINAN_TITLE, D(2016, 1, 1), "published"),
        ("甲县（370124）", "guanyun", "甲县办法", D(2026, 1, 1), "draft"),
    }
    assert len(rows) == 7  # four shipped, the two test counties' and the draft
    page = response.content.decode()
    assert "生效日期" in page and "已发布" in page and "草稿" in page


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 5])
def test_list_query_count_does_not_grow(admin_client, world, extra, django_assert_num_queries):
    for i in range(extra):
        policy_version_create(
            GUANYUN,
            actor=None,
            title=f"办法{i}",
            effective_from=D(2026, 1, 1 + i),
            jurisdiction_code=world.county_a.code,
        )
    admin_client.get(reverse(CHANGELIST))  # warm the session and content types

    with django_assert_num_queries(7):
        assert admin_client.get(reverse(CHANGELIST)).status_code == 200


# --- published versions are frozen --------------------------------------------------------


@pytest.mark.django_db
def test_published_version_is_shown_read_only(admin_client):
    version = published_default()

    response = admin_client.get(change_url(version))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="_save"' not in page
    assert "<textarea" not in page
    assert "&quot;shaanxi-2016&quot;" in page or '"shaanxi-2016"' in page
    assert "<pre>" in page


@pytest.mark.django_db
def test_posting_a_change_to_a_published_version_is_forbidden(admin_client):
    version = published_default()
    before = PolicyVersion.objects.values().get(pk=version.pk)

    response = admin_client.post(change_url(version), form_data(version, title="篡改"))

    assert response.status_code == 403
    assert PolicyVersion.objects.values().get(pk=version.pk) == before
    assert not AuditEvent.objects.filter(action="tolerance.policy.update").exists()


@pytest.mark.django_db
def test_a_published_version_cannot_be_deleted(admin_client):
    version = published_default()
    url = reverse("admin:tolerance_policyversion_delete", args=[version.pk])

    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert PolicyVersion.objects.filter(pk=version.pk).exists()


@pytest.mark.django_db
def test_there_is_no_bulk_delete(admin_client):
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [published_default().pk]},
    )

    assert response.status_code == 302  # "no action selected": back to the list
    assert PolicyVersion.objects.filter(pk=published_default().pk).exists()


# --- drafts --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_draft_shows_its_content_pretty_printed(admin_client):
    response = admin_client.get(change_url(seeded_draft()))

    field = response.context["adminform"].form["content"]
    assert json.loads(field.value()) == seeded_draft().content
    assert '\n  "code": "guanyun",\n' in field.value()  # two-space indent, one key a line
    assert "灌云" in field.value()  # Chinese left readable, not \\u escapes


@pytest.mark.django_db
def test_draft_is_edited_and_the_change_audited(admin_client, admin_user):
    draft = seeded_draft()
    content = policy_to_data(GUANYUN)
    content["procedure"]["reminder_days"] = 3

    response = admin_client.post(
        change_url(draft),
        form_data(
            draft, title="灌云县办法（修订稿）", content=json.dumps(content, ensure_ascii=False)
        ),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.status, draft.policy.procedure.reminder_days) == (
        "灌云县办法（修订稿）",
        PolicyStatus.DRAFT,
        3,
    )
    event = AuditEvent.objects.get(action="tolerance.policy.update")
    assert (event.actor, set(event.after)) == (admin_user, {"title", "content"})


@pytest.mark.django_db
def test_invalid_policy_content_is_refused_in_chinese(admin_client):
    draft = seeded_draft()
    content = policy_to_data(GUANYUN)
    content["situations"].append(content["situations"][0])

    response = admin_client.post(
        change_url(draft), form_data(draft, content=json.dumps(content, ensure_ascii=False))
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["content"] == ["有两条“容错情形”的编号相同。"]
    assert PolicyVersion.objects.get(pk=draft.pk).content == draft.content


@pytest.mark.django_db
def test_content_that_is_not_json_is_refused_in_chinese(admin_client):
    draft = seeded_draft()

    response = admin_client.post(change_url(draft), form_data(draft, content='{"format": 1,'))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["content"] == ["请输入有效的 JSON。"]


@pytest.mark.django_db
def test_a_draft_is_added_from_json(admin_client, world):
    content = json.dumps(policy_to_data(GUANYUN), ensure_ascii=False)
    url = reverse("admin:tolerance_policyversion_add")

    response = admin_client.post(
        url,
        {
            "jurisdiction_code": world.county_a.code,
            "jurisdiction_name": "甲县",
            "title": "甲县容错纠错办法",
            "issuer": "中共甲县县委",
            "label": "",
            "effective_from": "2027-01-01",
            "note": "",
            "content": content,
        },
    )

    assert response.status_code == 302
    added = PolicyVersion.objects.get(title="甲县容错纠错办法")
    assert (added.jurisdiction_code, added.code, added.status, added.effective_from) == (
        "370124",
        "guanyun",
        PolicyStatus.DRAFT,
        D(2027, 1, 1),
    )
    assert AuditEvent.objects.filter(
        action="tolerance.policy.create", object_id=str(added.pk)
    ).exists()


@pytest.mark.django_db
def test_a_draft_with_invalid_content_cannot_be_added(admin_client):
    response = admin_client.post(
        reverse("admin:tolerance_policyversion_add"),
        {
            "jurisdiction_code": "",
            "jurisdiction_name": "",
            "title": "空办法",
            "issuer": "",
            "label": "",
            "effective_from": "2027-01-01",
            "note": "",
            "content": "[1, 2]",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["content"] == [
        "内容必须是一个用 { } 括起来的 JSON 对象。"
    ]
    assert not PolicyVersion.objects.filter(title="空办法").exists()


# --- actions -------------------------------------------------------------------------------


def act(client, action, *versions):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [v.pk for v in versions]},
        follow=True,
    )


@pytest.mark.django_db
def test_publish_action_publishes_a_draft(admin_client, admin_user):
    draft = seeded_draft()

    response = act(admin_client, "publish", draft)

    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == (PolicyStatus.PUBLISHED, admin_user)
    assert messages_of(response) == [f"{draft} 已发布。"]
    assert AuditEvent.objects.filter(
        action="tolerance.policy.publish", object_id=str(draft.pk), actor=admin_user
    ).exists()


@pytest.mark.django_db
def test_publishing_a_second_version_for_the_same_jurisdiction_and_date_is_refused(admin_client):
    clash = policy_version_create(
        GUANYUN,
        actor=None,
        title="同日生效的另一版",
        effective_from=D(2016, 7, 1),
        jurisdiction_code="61",
    )

    response = act(admin_client, "publish", clash)

    assert PolicyVersion.objects.get(pk=clash.pk).status == PolicyStatus.DRAFT
    assert messages_of(response) == [
        f"{clash} 未发布：该管辖范围已有另一个已发布的版本在同一天生效。"
    ]


@pytest.mark.django_db
def test_publishing_an_already_published_version_says_so(admin_client):
    version = published_default()

    response = act(admin_client, "publish", version)

    assert messages_of(response) == [f"{version} 未发布：该办法版本已经发布。"]


@pytest.mark.django_db
def test_new_draft_from_a_published_version_opens_the_draft(admin_client, admin_user):
    source = published_default()

    response = admin_client.post(
        reverse(CHANGELIST), {"action": "new_draft", "_selected_action": [source.pk]}
    )

    draft = PolicyVersion.objects.get(status=PolicyStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    assert (draft.status, draft.code, draft.content) == (
        PolicyStatus.DRAFT,
        source.code,
        source.content,
    )
    assert AuditEvent.objects.filter(
        action="tolerance.policy.create", object_id=str(draft.pk), actor=admin_user
    ).exists()


# --- cases are read-only -------------------------------------------------------------------


@pytest.mark.django_db
def test_cases_are_read_only_in_the_admin(admin_client, flow):
    case = flow.investigating()
    url = reverse("admin:tolerance_case_change", args=[case.pk])

    assert admin_client.get(reverse("admin:tolerance_case_changelist")).status_code == 200
    response = admin_client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert admin_client.post(url, {"state": "closed"}).status_code == 403
    assert admin_client.get(reverse("admin:tolerance_case_add")).status_code == 403
    delete = reverse("admin:tolerance_case_delete", args=[case.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Case.objects.get(pk=case.pk).state == "investigating"


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["accountabilitymatter", "appeal", "remedy"])
def test_matters_appeals_and_remedies_are_listed_read_only(admin_client, flow, model):
    flow.submitted()

    assert admin_client.get(reverse(f"admin:tolerance_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:tolerance_{model}_add")).status_code == 403


@pytest.mark.django_db
def test_staff_without_admin_rights_cannot_reach_the_policy_admin(client, staff):
    client.force_login(staff.leader)

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_the_deliberation_rules_of_a_draft_are_edited_and_audited(admin_client, admin_user):
    draft = seeded_draft()
    data = form_data(draft, quorum="2/3", majority_base="present",
                     deliberation_basis="灌云县实施意见第十二条")
    del data["quorum_exceeds"]  # at least two thirds
    assert admin_client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    rules = draft.deliberation
    assert (rules.quorum, rules.quorum_exceeds, rules.majority_base) == (
        Fraction(2, 3), False, "present")
    event = AuditEvent.objects.get(action="tolerance.policy.update")
    assert event.after == {"quorum": "2/3", "quorum_exceeds": False, "majority_base": "present",
                           "deliberation_basis": "灌云县实施意见第十二条"}


@pytest.mark.django_db
def test_an_unusable_quorum_is_refused_in_chinese(admin_client):
    draft = seeded_draft()
    response = admin_client.post(change_url(draft), form_data(draft, quorum="3/2"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["quorum"] == [
        "请填写 0 到 1 之间的分数，如 1/2、2/3。"]
    draft.refresh_from_db()
    assert draft.quorum == "1/2"


@pytest.mark.django_db
def test_the_committee_roster_is_kept_in_the_admin_and_audited(admin_client, admin_user, world):
    member = make_user("r_member", Role.COMMITTEE_MEMBER, authorities=[world.county_a_org])
    clerk = make_user("r_clerk", Role.INTAKE_CLERK, authorities=[world.county_a_org])
    url = reverse("admin:tolerance_committeemember_add")
    refused = admin_client.post(url, {"authority": world.county_a_org.pk, "user": clerk.pk,
                                      "title": "委员", "active": "on"})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["user"] == [
        "只有委员会成员或审批领导可以列入集体研究成员名单。"]
    response = admin_client.post(url, {"authority": world.county_a_org.pk, "user": member.pk,
                                       "title": "委员", "active": "on"})
    assert response.status_code == 302
    seat = CommitteeMember.objects.get()
    assert (seat.authority, seat.user, seat.title, seat.active) == (
        world.county_a_org, member, "委员", True)
    event = AuditEvent.objects.get(action="tolerance.committeemember.create")
    assert (event.actor, event.after["user"], event.after["title"]) == (
        admin_user, member.pk, "委员")
