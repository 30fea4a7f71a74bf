"""A unit's bonus paid out to persons: the computed bonus caps the allocations; refusals
save nothing and write no audit row."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import MonitoringRank
from cadres.enums import ManagementLevel
from core.models import AuditEvent
from promotions.incentives.allocation import (
    allocated_total,
    bonus_allocate,
    bonus_allocation_withdraw,
    parse_amount,
    unit_bonus,
)
from promotions.models import BonusAllocation
from tests.factories import CadreFactory, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(world):
    """County A: 4th in 2022, 2nd in 2023 → 50 + 10 × 2 = 70 万元 = 700,000 yuan."""
    MonitoringRank.objects.create(unit=world.county_a, year=2022, group="county", rank=4)
    MonitoringRank.objects.create(unit=world.county_a, year=2023, group="county", rank=2)
    return world.county_a


def allocations():
    return list(BonusAllocation.objects.values_list("cadre__name", "amount").order_by("id"))


def audit_actions():
    return list(
        AuditEvent.objects.filter(action__startswith="promotions.bonus").values_list(
            "action", flat=True
        )
    )


def test_unit_bonus_is_the_bonus_page_computation(ranked):
    computed = unit_bonus(ranked, 2023)
    assert (computed.rank, computed.previous, computed.top, computed.group) == (2, 4, 10, "county")
    assert (computed.bonus.amount, computed.bonus.clause, computed.bonus.places) == (70, "base", 2)
    assert computed.yuan == Decimal(700_000)


def test_unit_bonus_first_place_first_entry_and_outside_the_top(world, city_under_seed_003):
    first = make_unit("丙县", kind="county", parent=world.city)
    new = make_unit("丁县", kind="county", parent=world.city)
    out = make_unit("戊县", kind="county", parent=world.city)
    MonitoringRank.objects.create(unit=new, year=2022, group="county", rank=14)
    for unit, rank in ((first, 1), (new, 3), (out, 11)):
        MonitoringRank.objects.create(unit=unit, year=2023, group="county", rank=rank)
    assert (unit_bonus(first, 2023).bonus.clause, unit_bonus(first, 2023).yuan) == (
        "first_place",
        Decimal(1_000_000),
    )
    assert (unit_bonus(new, 2023).bonus.clause, unit_bonus(new, 2023).previous) == (
        "first_entry",
        14,
    )
    assert unit_bonus(out, 2023) is None
    assert unit_bonus(first, 2024) is None


def test_allocate_up_to_the_bonus_exactly(ranked, county, world):
    bonus_allocate(
        ranked,
        actor=county.clerk,
        year=2023,
        cadre=county.secretary,
        amount="300000",
        reason="统筹经济发展",
    )
    bonus_allocate(
        ranked,
        actor=county.clerk,
        year=2023,
        cadre=world.cadre_a1,
        amount="400000.00",
        reason="项目攻坚",
    )
    assert allocations() == [("县委书记", Decimal("300000.00")), ("张三", Decimal("400000.00"))]
    assert allocated_total(ranked.pk, 2023) == Decimal(700_000)
    event = AuditEvent.objects.filter(action="promotions.bonus.allocate").order_by("id").first()
    assert event.after == {
        "unit": ranked.pk,
        "year": 2023,
        "cadre": county.secretary.pk,
        "amount": "300000.00",
        "bonus": "700000.00",
        "allocated": "300000.00",
    }
    assert (event.reason, event.authority_id, event.actor_id) == (
        "统筹经济发展",
        world.county_a_org.pk,
        county.clerk.pk,
    )


def test_exceeding_the_bonus_is_refused_and_changes_nothing(ranked, county):
    bonus_allocate(
        ranked,
        actor=county.clerk,
        year=2023,
        cadre=county.secretary,
        amount="300000",
        reason="统筹",
    )
    with pytest.raises(ValidationError) as refused:
        bonus_allocate(
            ranked,
            actor=county.clerk,
            year=2023,
            cadre=county.deputy,
            amount="400000.01",
            reason="分管",
        )
    assert refused.value.message_dict == {
        "amount": ["分配合计将达700,000.01元，超过奖金700,000.00元（尚余400,000.00元）。"]
    }
    assert allocations() == [("县委书记", Decimal("300000.00"))]
    assert audit_actions() == ["promotions.bonus.allocate"]


@pytest.mark.parametrize("raw", ["0", "-5", "1.001", "abc", "", "NaN", "Infinity"])
def test_bad_amounts_are_refused(raw):
    with pytest.raises(ValidationError) as refused:
        parse_amount(raw)
    assert refused.value.message_dict == {"amount": ["请输入大于零的金额（元），最多两位小数。"]}


def test_parse_amount_accepts_thousands_separators():
    assert parse_amount(" 12,500.5 ") == Decimal("12500.5")


def test_other_refusals_change_nothing(ranked, county, world, personas):
    make = dict(year=2023, amount="1000", reason="理由")
    cases = [
        (dict(actor=county.clerk, cadre=world.cadre_b1), {"cadre": ["该干部不在本单位工作。"]}),
        (
            dict(actor=county.clerk, cadre=county.deputy, reason="  "),
            {"reason": ["请填写分配理由。"]},
        ),
        (dict(actor=county.clerk, cadre=county.deputy, year=2021), ["该单位2021年度没有奖金。"]),
    ]
    for changes, expected in cases:
        with pytest.raises(ValidationError) as refused:
            bonus_allocate(ranked, **{**make, **changes})
        got = (
            refused.value.message_dict
            if hasattr(refused.value, "error_dict")
            else refused.value.messages
        )
        assert got == expected
    for actor in (county.auditor, personas.hr_a1, personas.cadre_a1, personas.outsider):
        with pytest.raises(PermissionDenied):
            bonus_allocate(ranked, actor=actor, cadre=county.deputy, **make)
    assert allocations() == []
    assert audit_actions() == []


def test_the_city_department_allocates_only_to_the_cadres_it_manages(ranked, county):
    """The city department covers the county's units, but the county-managed deputy is not
    its cadre: refused, nothing saved; a city-managed cadre of the county is allocated."""
    with pytest.raises(ValidationError) as refused:
        bonus_allocate(
            ranked, actor=county.clerk_city, year=2023, cadre=county.deputy, amount="1000",
            reason="分管",
        )
    assert refused.value.message_dict == {
        "cadre": ["该干部不在您的管理权限范围内（属其他管理层级）。"]
    }
    assert allocations() == []
    city_managed = CadreFactory(
        name="县委书记", unit=ranked, management_level=ManagementLevel.CITY
    )
    bonus_allocate(
        ranked, actor=county.clerk_city, year=2023, cadre=city_managed, amount="1000",
        reason="主要负责",
    )
    assert allocations() == [("县委书记", Decimal("1000.00"))]


def test_a_cadre_is_allocated_once(ranked, county):
    bonus_allocate(
        ranked, actor=county.clerk, year=2023, cadre=county.deputy, amount="1000", reason="分管"
    )
    with pytest.raises(ValidationError) as refused:
        bonus_allocate(
            ranked, actor=county.clerk, year=2023, cadre=county.deputy, amount="5", reason="再分"
        )
    assert refused.value.message_dict == {"cadre": ["该干部已有分配记录，请先撤回。"]}
    assert allocations() == [("副县长", Decimal("1000.00"))]


def test_withdraw_frees_the_amount_audited(ranked, county):
    allocation = bonus_allocate(
        ranked, actor=county.clerk, year=2023, cadre=county.deputy, amount="700000", reason="分管"
    )
    with pytest.raises(ValidationError):
        bonus_allocation_withdraw(allocation, actor=county.clerk, reason="")
    with pytest.raises(PermissionDenied):
        bonus_allocation_withdraw(allocation, actor=county.auditor, reason="错误")
    assert allocations() == [("副县长", Decimal("700000.00"))]
    bonus_allocation_withdraw(allocation, actor=county.clerk, reason="录入错误")
    assert allocations() == []
    event = AuditEvent.objects.get(action="promotions.bonus.withdraw")
    assert (event.before["amount"], event.reason) == ("700000.00", "录入错误")
    with pytest.raises(ValidationError) as gone:
        bonus_allocation_withdraw(allocation, actor=county.clerk, reason="再撤")
    assert gone.value.messages == ["他人已先行操作：该分配记录已不存在。"]
