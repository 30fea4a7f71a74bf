"""Policy versions: which one judges a case, publishing, drafting, editing, stored content."""

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.models import AuditEvent
from core.policies import PolicyNotInForce
from tolerance.catalogs import GUANYUN, SHAANXI_2016
from tolerance.errors import CaseError
from tolerance.models import PolicyVersion
from tolerance.models.policy import PolicyStatus
from tolerance.policies import (
    content_digest,
    policy_draft_from,
    policy_error_message,
    policy_in_force,
    policy_version_create,
    policy_version_publish,
    policy_version_update,
)
from tolerance.policy_data import PolicyDataError, policy_from_data, policy_to_data

D = dt.date


def default_version() -> PolicyVersion:
    """Shaanxi's measure as shipped by migration 0004 (in force from 2016-07-01)."""
    return PolicyVersion.objects.get(jurisdiction_code="61", status=PolicyStatus.PUBLISHED)


def publish(policy, *, title, effective_from, unit=None, actor=None):
    return policy_version_create(
        policy,
        actor=actor,
        title=title,
        effective_from=effective_from,
        jurisdiction_code=unit.code if unit else "",
        jurisdiction_name=unit.name if unit else "",
        publish=True,
    )


# --- which version judges a case -----------------------------------------------------------


@pytest.mark.django_db
def test_policy_in_force_is_the_nearest_jurisdiction_version_in_force_on_the_date(world):
    county = world.county_a_org
    measure = PolicyVersion.objects.get(jurisdiction_code=world.county_a.code)
    own_2025 = publish(
        GUANYUN, title="甲县办法（2025）", effective_from=D(2025, 1, 1), unit=world.county_a
    )
    own_2026 = publish(
        GUANYUN, title="甲县办法（2026）", effective_from=D(2026, 6, 1), unit=world.county_a
    )
    policy_version_create(  # a draft is never in force
        GUANYUN,
        actor=None,
        title="甲县办法（草稿）",
        effective_from=D(2025, 2, 1),
        jurisdiction_code=world.county_a.code,
    )
    jinan = PolicyVersion.objects.get(jurisdiction_code="3701")

    assert policy_in_force(county, D(2024, 12, 31)) == measure
    assert policy_in_force(county, D(2025, 1, 1)) == own_2025
    assert policy_in_force(county, D(2025, 3, 10)) == own_2025  # not the later version
    assert policy_in_force(county, D(2026, 6, 1)) == own_2026
    # The city's authorities sit at 济南市: its shipped measure, not a county's.
    assert policy_in_force(world.city_org, D(2025, 3, 10)) == jinan
    assert policy_in_force(world.city_discipline, D(2025, 3, 10)) == jinan


@pytest.mark.django_db
def test_a_blank_jurisdiction_applies_only_where_no_jurisdiction_up_the_tree_has_one(world):
    everywhere = publish(SHAANXI_2016, title="通用办法", effective_from=D(2016, 1, 1))

    assert policy_in_force(None, D(2018, 11, 30)) == everywhere
    assert policy_in_force(world.city_org, D(2018, 11, 30)).jurisdiction_code == "3701"


@pytest.mark.django_db
def test_no_version_in_force_before_the_first_is_refused_naming_authority_and_date(world):
    with pytest.raises(PolicyNotInForce) as error:
        policy_in_force(world.city_org, D(2015, 12, 31))

    with translation.override("en"):
        assert error.value.message == (
            "No published tolerance measure was in force for 中共济南市委组织部 on 2015-12-31: "
            "neither its own jurisdiction nor any above it has published one."
        )


@pytest.mark.django_db
def test_case_create_records_the_version_in_force_when_the_conduct_happened(flow, world):
    own_2025 = publish(
        GUANYUN, title="甲县办法（2025）", effective_from=D(2025, 1, 1), unit=world.county_a
    )
    publish(GUANYUN, title="甲县办法（2026）", effective_from=D(2026, 6, 1), unit=world.county_a)

    case = flow.filed()  # conduct on 2025-03-10

    assert case.matter.occurred_on == D(2025, 3, 10)
    assert case.policy_version == own_2025
    assert case.policy_version.policy.situations[0].code == "GY-01"


# --- publishing ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_publishing_a_draft_freezes_it_and_is_audited(personas):
    draft = policy_version_create(
        GUANYUN, actor=personas.admin, title="灌云县办法", effective_from=D(2026, 1, 1)
    )

    version = policy_version_publish(draft, actor=personas.admin)

    assert (version.status, version.published_by) == (PolicyStatus.PUBLISHED, personas.admin)
    assert version.published_at is not None
    event = AuditEvent.objects.get(action="tolerance.policy.publish", object_id=str(draft.pk))
    assert (event.actor, event.before, event.after) == (
        personas.admin,
        {"status": "draft"},
        {"status": "published"},
    )
    version.title = "改名"
    with pytest.raises(PermissionDenied):
        version.save()
    with pytest.raises(PermissionDenied):
        version.delete()


@pytest.mark.django_db
def test_second_version_for_the_same_jurisdiction_and_date_is_refused(personas, world):
    publish(GUANYUN, title="甲县办法", effective_from=D(2026, 1, 1), unit=world.county_a)
    draft = policy_version_create(
        GUANYUN,
        actor=personas.admin,
        title="甲县办法（另一版）",
        effective_from=D(2026, 1, 1),
        jurisdiction_code=world.county_a.code,
    )
    other_jurisdiction = policy_version_create(
        GUANYUN,
        actor=personas.admin,
        title="市办法",
        effective_from=D(2026, 1, 1),
        jurisdiction_code=world.city.code,
    )

    with translation.override("en"), pytest.raises(CaseError) as error:
        policy_version_publish(draft, actor=personas.admin)

    assert str(error.value.message) == (
        "Another published version for this jurisdiction takes effect on that date."
    )
    assert PolicyVersion.objects.get(pk=draft.pk).status == PolicyStatus.DRAFT
    assert policy_version_publish(other_jurisdiction, actor=personas.admin).is_published


@pytest.mark.django_db
def test_publishing_twice_is_refused(personas):
    with translation.override("en"), pytest.raises(CaseError) as error:
        policy_version_publish(default_version(), actor=personas.admin)

    assert str(error.value.message) == "This policy version is already published."


@pytest.mark.django_db
def test_publishing_invalid_content_is_refused_in_chinese(personas):
    draft = policy_version_create(
        GUANYUN, actor=personas.admin, title="灌云县办法", effective_from=D(2026, 1, 1)
    )
    content = policy_to_data(GUANYUN)
    content["procedure"]["acceptance_days"] = 0
    PolicyVersion.objects.filter(pk=draft.pk).update(content=content)

    with translation.override("zh-hans"), pytest.raises(CaseError) as error:
        policy_version_publish(draft, actor=personas.admin)

    assert str(error.value.message) == (
        "办法内容无效：“acceptance_days”必须是 1 至 365 之间的整数个工作日。"
    )


# --- drafting and editing ------------------------------------------------------------------


@pytest.mark.django_db
def test_new_draft_copies_the_version(personas):
    source = default_version()

    with translation.override("zh-hans"):
        draft = policy_draft_from(source, actor=personas.admin, effective_from=D(2027, 1, 1))

    assert (
        draft.status, draft.jurisdiction_code, draft.code, draft.title, draft.effective_from
    ) == (
        PolicyStatus.DRAFT,
        "61",
        "shaanxi-2016",
        source.title,
        D(2027, 1, 1),
    )
    assert draft.policy == source.policy
    assert draft.note == f"根据第 {source.pk} 号版本起草：{source}。"
    assert AuditEvent.objects.filter(
        action="tolerance.policy.create", object_id=str(draft.pk)
    ).exists()


@pytest.mark.django_db
def test_editing_a_draft_is_audited_and_the_code_follows_the_content(personas):
    draft = policy_version_create(
        GUANYUN, actor=personas.admin, title="灌云县办法", effective_from=D(2026, 1, 1)
    )
    content = policy_to_data(dataclasses.replace(GUANYUN, code="guanyun-2026"))
    old_digest = content_digest(draft.content)

    edited = policy_version_update(
        draft, actor=personas.admin, title="灌云县办法（修订）", content=content
    )

    assert (edited.code, edited.title, edited.content) == (
        "guanyun-2026",
        "灌云县办法（修订）",
        content,
    )
    event = AuditEvent.objects.get(action="tolerance.policy.update")
    assert event.before == {"code": "guanyun", "title": "灌云县办法", "content": old_digest}
    assert event.after == {
        "code": "guanyun-2026",
        "title": "灌云县办法（修订）",
        "content": content_digest(content),
    }


@pytest.mark.django_db
def test_editing_a_published_version_is_refused(personas):
    version = default_version()

    with translation.override("en"), pytest.raises(CaseError) as error:
        policy_version_update(version, actor=personas.admin, title="改名")

    assert str(error.value.message) == (
        "A published policy version cannot be changed; draft a new one."
    )
    assert PolicyVersion.objects.get(pk=version.pk).title == version.title


@pytest.mark.django_db
def test_editing_a_draft_into_invalid_content_is_refused(personas):
    draft = policy_version_create(
        GUANYUN, actor=personas.admin, title="灌云县办法", effective_from=D(2026, 1, 1)
    )
    content = policy_to_data(GUANYUN)
    content["situations"] = []

    with pytest.raises(ValidationError):
        policy_version_update(draft, actor=personas.admin, content=content)

    assert PolicyVersion.objects.get(pk=draft.pk).content == policy_to_data(GUANYUN)
    assert not AuditEvent.objects.filter(action="tolerance.policy.update").exists()


# --- stored content ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seeded_default_version_loads():
    assert default_version().policy.procedure.reminder_days == 2


def _broken(change) -> PolicyDataError:
    data = policy_to_data(SHAANXI_2016)
    change(data)
    with pytest.raises(PolicyDataError) as error:
        policy_from_data(data)
    return error.value


@pytest.mark.parametrize(
    ("change", "chinese"),
    [
        (lambda d: d.update(format=2), '无法识别的内容格式 2；内容中应写明 "format": 1。'),
        (lambda d: d.pop("situations"), "内容缺少“situations”项。"),
        (lambda d: d.update(situations=[]), "办法至少需要一条“容错情形”。"),
        (
            lambda d: d["conditions"].append(d["conditions"][0]),
            "有两条“容错条件”的编号相同。",
        ),
        (
            lambda d: d["procedure"].update(reminder_days=0),
            "“reminder_days”必须是 1 至 365 之间的整数个工作日。",
        ),
        (
            lambda d: d["procedure"].update(majority="1"),
            "到会比例须大于 0 且不超过 1，表决通过比例须大于 0 且小于 1"
            '（写成 "2/3"、"1/2" 这样的分数）。',
        ),
        (
            lambda d: d["procedure"].update(majority_base="all"),
            "“majority_base”只能是“present”（到会成员）或“members”（应到会成员）。",
        ),
        (
            lambda d: d["procedure"].update(default_publication_scope="world"),
            "默认公开范围必须是可选公开范围之一。",
        ),
        (
            lambda d: d["procedure"].update(quorum="abc"),
            "内容格式不正确：Invalid literal for Fraction: 'abc'",
        ),
    ],
)
def test_policy_content_errors_read_in_chinese(change, chinese):
    error = _broken(change)

    with translation.override("zh-hans"):
        assert policy_error_message(error) == chinese
