"""Quota rows by jurisdiction: a Jinan township is not judged under Zhejiang's 20%."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.models import QuotaPolicy
from assessments.policies import unit_policy
from cadres.enums import UnitKind
from tests.factories import make_unit


@pytest.mark.django_db
def test_a_jinan_township_uses_jinans_row_and_a_zhejiang_township_zhejiangs(world):
    QuotaPolicy.objects.filter(basis__startswith="测试").delete()  # the suite's Jinan 20%
    zhejiang = make_unit("浙江省", kind=UnitKind.PROVINCE, code="33")
    county = make_unit("某县", kind=UnitKind.COUNTY, parent=zhejiang, code="330100")
    town = make_unit("某镇", kind=UnitKind.TOWNSHIP, parent=county, code="33010001")
    world.township_a1.refresh_from_db()  # units sort by code: 浙江省 moved 济南市's path

    jinan = unit_policy(world.township_a1, 2024)
    zj = unit_policy(town, 2024)

    assert (jinan.jurisdiction_code, jinan.share) == ("3701", Decimal("0.150"))
    assert "未规定" in jinan.basis and "浙江" not in jinan.basis
    assert (zj.jurisdiction_code, zj.unit_kind, zj.share) == ("33", "township", Decimal("0.200"))
    assert zj.basis.startswith("浙江省委激励干部新担当新作为实施意见（2018）")
    assert unit_policy(town, 2017).unit_kind == ""  # before 2018: the seed-silent default


@pytest.mark.django_db
def test_an_administrator_copies_quota_rows_to_a_county(client, world):
    from core.models import AuditEvent, User

    root = User.objects.create_superuser("root", "root@example.org", "pw-Secret-123")
    zhejiang = QuotaPolicy.objects.get(jurisdiction_code="33", unit_kind="township")
    client.force_login(root)

    client.post("/admin/assessments/quotapolicy/", {
        "action": "copy_to_jurisdiction", "_selected_action": [zhejiang.pk],
        "jurisdiction_code": world.county_a.code,
    })

    copy = QuotaPolicy.objects.get(jurisdiction_code="370124")
    assert (copy.jurisdiction_name, copy.unit_kind, copy.share, copy.status) == (
        "甲县", "township", Decimal("0.200"), "draft")
    event = AuditEvent.objects.get(action="assessment.quota_policy.create")
    assert event.before == {"copied_from": zhejiang.pk}


@pytest.mark.django_db
def test_detection_thresholds_follow_the_units_jurisdiction(world):
    from assessments.models import DetectionPolicy
    from assessments.policies import unit_detection_policy

    default = DetectionPolicy.objects.get(jurisdiction_code="")
    assert "浙江" in default.basis and "不是任何地方的规定" in default.basis
    assert "默认" not in default.basis
    jinan = DetectionPolicy.objects.create(
        **{f.name: getattr(default, f.name) for f in DetectionPolicy._meta.concrete_fields
           if f.name not in {"id", "jurisdiction_code", "jurisdiction_name", "basis"}},
        jurisdiction_code="3701", jurisdiction_name="济南市", basis="济南市的识别口径（测试）",
    )
    other = make_unit("某省", kind=UnitKind.PROVINCE, code="99")
    world.township_a1.refresh_from_db()

    assert unit_detection_policy(world.township_a1, 2024) == jinan
    assert unit_detection_policy(other, 2024) == default
    assert unit_detection_policy(None, 2024) == default
