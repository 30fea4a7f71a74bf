"""Model-level guarantees of the cadres app."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from cadres.enums import ManagementLevel
from cadres.models import Authority
from demo import cadres_data as demo_data

from ..factories import make_authority


@pytest.mark.django_db
def test_authority_short_name_is_unique(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_authority(
            "中共乙区区委组织部",
            roots=[world.county_b],
            levels=[ManagementLevel.COUNTY],
            short_name="甲组",  # county A's
        )
    assert list(Authority.objects.filter(short_name="甲组").values_list("name", flat=True)) == [
        "中共甲县县委组织部"
    ]


@pytest.mark.django_db
def test_make_authority_default_short_names_differ(world):
    first = make_authority("一号机关", roots=[world.city], levels=[ManagementLevel.CITY])
    second = make_authority("二号机关", roots=[world.city], levels=[ManagementLevel.CITY])
    assert first.short_name != second.short_name
    assert first.short_name.startswith("组") and second.short_name.startswith("组")


def test_demo_authorities_have_unique_short_names():
    shorts = [short for _name, short, _kind, _roots, _levels in demo_data.AUTHORITIES]
    assert len(shorts) == len(set(shorts)) == 9
    assert max(len(s) for s in shorts) <= Authority._meta.get_field("short_name").max_length
