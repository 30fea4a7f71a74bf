"""Jinan's policy sections: optional sections, malformed content (the seed defaults:
test_policy_jinan_data.py)."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError

from promotions.models import PromotionPolicy
from promotions.policy_data import DEFAULT_CONTENT, PolicyDataError
from promotions.policy_jinan import jinan_terms


def test_a_version_without_the_sections_has_no_catalog_and_no_grade_rule():
    content = {k: v for k, v in DEFAULT_CONTENT.items() if k not in ("grounds", "exceptional",
                                                                        "incompetent_grade")}
    terms = jinan_terms(content)
    assert (terms.grounds, terms.incompetent_grades, terms.exceptional) == ((), frozenset(), None)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("grounds", 0, "code"), "lazy", "not one of Jinan's grounds"),
        (("grounds", 1, "code"), "unsuitable", "appears twice"),
        (("grounds", 0, "title"), " ", "non-empty text"),
        (("incompetent_grade", "grades"), ["awful"], "unknown"),
        (("exceptional", "waivable"), ["age"], "exceptional.waivable"),
        (("exceptional", "ladder"), [85, 65], "ascending"),
        (("exceptional", "situations", 0, "check"), "age", "unknown"),
        (("exceptional", "situations", 1, "code"), "outstanding_results", "appears twice"),
    ],
)
def test_malformed_sections_are_refused(path, value, message):
    content = copy.deepcopy(DEFAULT_CONTENT)
    target = content
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(PolicyDataError, match=message):
        jinan_terms(content)


@pytest.mark.django_db
def test_policy_clean_reports_a_malformed_section():
    content = copy.deepcopy(DEFAULT_CONTENT)
    content["grounds"] = "unsuitable"
    policy = PromotionPolicy(code="x", title="x", effective_from="2024-01-01", content=content)
    with pytest.raises(ValidationError) as info:
        policy.clean()
    assert info.value.message_dict == {"content": ["grounds must be a list"]}
