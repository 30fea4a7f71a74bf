"""Two sign-offs at once on PostgreSQL: one number, no gap, no duplicate (core.drafts)."""

from __future__ import annotations

import pytest

from core.drafts import draft_transition, drafts_of
from core.errors import StateChanged
from core.models import DocumentSequence, IssuedDocument
from tests.factories import CadreFactory
from tests.threads import at_once
from tests.tolerance.conftest import flow, seeded_policy, staff  # noqa: F401  (fixtures)
from tolerance.enums import CaseState, StartedBy
from tolerance.models import Case

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("on_postgres", "seeded_policy"),
]


def test_two_sign_offs_of_one_draft_give_one_number(flow, staff):  # noqa: F811
    case = flow.decided(sign=False)
    draft = draft_transition(drafts_of(case).get(kind="tolerance_ruling"), actor=staff.clerk,
                             action="check")
    results, errors = at_once(
        lambda: draft_transition(draft, actor=staff.leader, action="sign"),
        lambda: draft_transition(draft, actor=staff.reviewer, action="sign"),
    )
    winners = [r for r in results if r is not None]
    losers = [e for e in errors if e is not None]
    assert (len(winners), len(losers)) == (1, 1)
    assert isinstance(losers[0], StateChanged)
    assert str(losers[0]).startswith("Someone else was faster: this is now")
    [ruling] = IssuedDocument.objects.filter(kind="tolerance_ruling")
    assert ruling.seq == 1
    assert ruling.issued_by == winners[0].signed_by
    sequence = DocumentSequence.objects.get(authority=case.authority, series="容")
    assert sequence.last_number == 1
    assert Case.objects.get(pk=case.pk).state == CaseState.RULING_ISSUED


def test_two_drafts_signed_at_once_are_numbered_without_gap(flow, staff, world):  # noqa: F811
    other = CadreFactory(unit=world.township_a1)
    case = flow.decided(sign=False, by=staff.hr, started_by=StartedBy.UNIT,
                        cadres=[world.cadre_a1, other])
    first, second = (
        draft_transition(d, actor=staff.clerk, action="check")
        for d in drafts_of(case).filter(kind="tolerance_ruling").order_by("id")
    )
    results, errors = at_once(
        lambda: draft_transition(first, actor=staff.leader, action="sign"),
        lambda: draft_transition(second, actor=staff.reviewer, action="sign"),
    )
    assert errors == [None, None]
    numbers = sorted(IssuedDocument.objects.filter(kind="tolerance_ruling").values_list(
        "seq", flat=True))
    assert numbers == [1, 2]
    assert Case.objects.get(pk=case.pk).state == CaseState.RULING_ISSUED
