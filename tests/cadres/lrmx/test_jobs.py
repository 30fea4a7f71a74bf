"""cadres.lrmx.jobs: the .lrmx import as a background job — its rule and upload check, the
placement kept as options, a run all or nothing, one error row per problem of a file."""

from __future__ import annotations

import pytest
from django.utils import translation

from cadres.enums import ManagementLevel, PostType, Rank
from cadres.lrmx.importing import Placement
from cadres.lrmx.jobs import KIND, LRMX_IMPORT, lrmx_run, placement_options
from cadres.models import Cadre
from core.imports import KINDS, ImportRefused, ImportRun
from core.uploads import UploadRejected
from tests.cadres.lrmx.test_importing import lrmx, make_zip

pytestmark = pytest.mark.django_db


def options(world, **changes) -> dict:
    placement = Placement(
        unit=world.township_a1, management_level=ManagementLevel.COUNTY,
        rank=Rank.SECTION_DEPUTY, post_type=PostType.LEADERSHIP,
    )
    return {**placement_options(placement), **changes}


def run_of(user, data: bytes, opts: dict, heard=None) -> ImportRun:
    heard = heard if heard is not None else []
    return ImportRun(
        job=None, data=data, actor=user, filename="forms.zip", options=opts,
        progress=lambda done, total: heard.append((done, total)),
    )


def test_the_lrmx_import_is_registered_with_its_check(world, personas):
    assert KINDS[KIND] is LRMX_IMPORT
    assert LRMX_IMPORT.may_import(personas.clerk_a) is True
    assert LRMX_IMPORT.may_import(personas.cadre_a1) is False
    with pytest.raises(UploadRejected):
        LRMX_IMPORT.check(make_zip({"../x.lrmx": lrmx()}), {})
    entity = b'<!DOCTYPE Person [<!ENTITY x "y">]><Person><XingMing>&x;</XingMing></Person>'
    with pytest.raises(UploadRejected, match="DTD"):
        LRMX_IMPORT.check(entity, {})  # one form is read when uploaded; a zip's by the job
    assert LRMX_IMPORT.check(lrmx("孙八"), {}) is None
    assert LRMX_IMPORT.check(make_zip({"坏.lrmx": b"<Workbook/>"}), {}) is None
    assert options(world) == {
        "unit": world.township_a1.pk, "management_level": "county", "rank": Rank.SECTION_DEPUTY,
        "post_type": "leadership",
    }


def test_good_forms_are_imported_with_what_each_brought(world, personas):
    heard = []
    data = make_zip({"孙八.lrmx": lrmx("孙八"), "周九.lrmx": lrmx("周九")})
    outcome = lrmx_run(run_of(personas.clerk_a, data, options(world), heard))
    assert outcome.counts == {"created": 2, "updated": 0}
    assert [row[:2] for row in outcome.details] == [["孙八.lrmx", "孙八"], ["周九.lrmx", "周九"]]
    assert heard == [(0, 2), (1, 2), (2, 2)]
    assert Cadre.objects.filter(name__in=["孙八", "周九"]).count() == 2


def test_a_bad_form_writes_nothing_and_gives_one_row_per_problem(world, personas):
    data = make_zip({"孙八.lrmx": lrmx("孙八"), "坏.lrmx": b"<Workbook/>"})
    with translation.override("en"):
        outcome = lrmx_run(run_of(personas.clerk_a, data, options(world)))
    assert outcome.errors == [
        [
            "坏.lrmx", "", "",
            "The XML root element is <Workbook>, not <Person>: this is not an .lrmx "
            "appointment form.",
        ]
    ]
    assert not Cadre.objects.filter(name="孙八").exists()


def test_a_unit_no_longer_writable_refuses_the_run(world, personas):
    data = lrmx("孙八")
    with pytest.raises(ImportRefused):
        lrmx_run(run_of(personas.clerk_a, data, options(world, unit=world.county_b.pk)))
