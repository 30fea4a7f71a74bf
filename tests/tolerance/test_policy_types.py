"""The shapes of a policy's content: entries found by their code, frozen values."""

import dataclasses

import pytest

from tolerance.catalogs import JINAN_2016, ZHEJIANG_2018


def test_entries_are_found_by_their_code():
    assert JINAN_2016.situation("JN-01") is JINAN_2016.situations[0]
    assert JINAN_2016.distinction("D2") is JINAN_2016.distinctions[1]
    assert JINAN_2016.condition("C4") is JINAN_2016.conditions[3]
    assert ZHEJIANG_2018.exclusion("X6") is ZHEJIANG_2018.exclusions[-1]


@pytest.mark.parametrize("finder", ["situation", "distinction", "condition", "exclusion"])
def test_an_unknown_code_raises_key_error_naming_it(finder):
    with pytest.raises(KeyError) as error:
        getattr(JINAN_2016, finder)("SX-01")

    assert error.value.args == ("SX-01",)


def test_a_code_of_another_kind_is_not_found():
    # D1 is a distinction, not a condition: each finder searches its own entries.
    with pytest.raises(KeyError):
        JINAN_2016.condition("D1")


def test_policies_and_their_entries_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        JINAN_2016.code = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        JINAN_2016.situations[0].text = "其他"  # type: ignore[misc]
    assert JINAN_2016.separations == ()
    assert JINAN_2016.repeated_errors is None
    assert JINAN_2016.procedure.reminder_days == 2
