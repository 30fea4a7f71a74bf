"""promotions.policy_data: parsing a policy version's content into terms."""

import pytest

from promotions.policy_data import DEFAULT_CONTENT, PolicyDataError, terms_from_data


def test_policy_data_rejects_negative_and_missing():
    broken = {**DEFAULT_CONTENT, "bonus": {**DEFAULT_CONTENT["bonus"], "base": -1}}
    with pytest.raises(PolicyDataError):
        terms_from_data(broken)
    with pytest.raises(PolicyDataError):
        terms_from_data({"format": 1})
