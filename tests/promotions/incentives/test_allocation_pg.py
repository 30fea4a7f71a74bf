"""Bonus allocation under real concurrency on PostgreSQL: eight clerks allocate at once,
each asking for a fifth of the bonus; the unit's row lock lets exactly five through."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assessments.models import MonitoringRank
from core.models import AuditEvent
from promotions.incentives.allocation import allocated_total, bonus_allocate
from promotions.models import BonusAllocation
from tests.factories import CadreFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_promotion_policy"),
]


def test_concurrent_allocations_never_exceed_the_bonus(on_postgres, world, county):
    MonitoringRank.objects.create(unit=world.county_a, year=2022, group="county", rank=4)
    MonitoringRank.objects.create(unit=world.county_a, year=2023, group="county", rank=2)
    people = [CadreFactory(name=f"干部{i}", unit=world.township_a1) for i in range(8)]
    barrier = threading.Barrier(len(people))
    refused: list[ValidationError] = []
    failed: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            bonus_allocate(
                world.county_a,
                actor=county.clerk,
                year=2023,
                cadre=people[i],
                amount="140000",  # a fifth of 700,000
                reason="并发分配",
            )
        except ValidationError as exc:
            refused.append(exc)
        except BaseException as exc:  # reported to the test
            failed.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failed == []
    assert (BonusAllocation.objects.count(), len(refused)) == (5, 3)
    assert allocated_total(world.county_a.pk, 2023) == Decimal(700_000)
    assert AuditEvent.objects.filter(action="promotions.bonus.allocate").count() == 5
