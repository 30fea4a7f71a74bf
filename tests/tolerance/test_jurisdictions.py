"""Each authority is judged under its own jurisdiction's published measure (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest

from cadres.enums import ManagementLevel, UnitKind
from core.documents import read_document
from core.models import IssuedDocument
from core.policies import jurisdiction_codes, seat_unit
from tests.factories import make_authority, make_unit
from tests.pdftext import flat_text
from tests.tolerance.conftest import JINAN_FINDINGS
from tolerance.models import PolicyVersion
from tolerance.policies import policy_in_force

pytestmark = pytest.mark.django_db



def test_a_jinan_county_without_its_own_measure_is_judged_under_jinan_and_the_ruling_cites_it(
    flow, world
):
    # 甲县 drops its own measure: the nearest jurisdiction up the tree is 济南市.
    PolicyVersion.objects.filter(jurisdiction_code=world.county_a.code).delete()

    case = flow.decided(findings=JINAN_FINDINGS)

    assert case.policy_version.jurisdiction_code == "3701"
    assert case.policy_version.policy.situations[0].code == "JN-01"
    ruling = IssuedDocument.objects.get(kind="tolerance_ruling", cadre=world.cadre_a1)
    text = flat_text(read_document(ruling))
    cited = "本决定依据中共济南市委印发的《济南市支持党员干部干事创业容错免责实施办法》作出。"
    assert cited in text
    assert "陕西" not in text and "默认" not in text


def test_a_shaanxi_authority_is_judged_under_shaanxi_measure():
    province = make_unit("陕西省", kind=UnitKind.PROVINCE, code="61")
    city = make_unit("西安市", kind=UnitKind.CITY, parent=province, code="6101")
    county = make_unit("蓝田县", kind=UnitKind.COUNTY, parent=city, code="610122")
    county.refresh_from_db()
    authority = make_authority(
        "中共蓝田县委组织部", roots=[county], levels=[ManagementLevel.COUNTY], short_name="蓝组"
    )

    version = policy_in_force(authority, dt.date(2024, 5, 1))

    assert jurisdiction_codes(seat_unit(authority)) == ["610122", "6101", "61"]
    assert (version.jurisdiction_code, version.code, version.public_title, version.issuer) == (
        "61",
        "shaanxi-2016",
        "《陕西省党政干部容错纠错办法（试行）》",
        "中共陕西省委办公厅",
    )
    assert len(version.policy.situations) == 11
    assert [c.code for c in version.policy.conditions] == ["SC1", "SC2", "SC3"]


def test_each_seed_measure_is_shipped_for_its_own_jurisdiction_without_internal_labels():
    shipped = {
        v.jurisdiction_code: (v.code, v.issuer, len(v.policy.situations), v.is_published)
        for v in PolicyVersion.objects.filter(code__in=[
            "shaanxi-2016", "jinan-2016", "guanyun", "zhejiang-2018"
        ])
    }

    assert shipped == {
        "61": ("shaanxi-2016", "中共陕西省委办公厅", 11, True),
        "3701": ("jinan-2016", "中共济南市委", 1, True),
        "320723": ("guanyun", "中共灌云县委", 18, True),
        "33": ("zhejiang-2018", "中共浙江省委", 1, True),
    }
    titles = PolicyVersion.objects.values_list("title", flat=True)
    assert not [t for t in titles if "默认" in t]
    zhejiang = PolicyVersion.objects.get(jurisdiction_code="33").policy
    assert (zhejiang.repeated_errors.exclusion, zhejiang.repeated_errors.effect) == (
        "X4",
        "refuse",
    )
    jinan = PolicyVersion.objects.get(jurisdiction_code="3701")
    assert jinan.policy.repeated_errors is None
    assert "种子未列出具体容错情形" in jinan.note  # silent seeds say so, nothing borrowed
