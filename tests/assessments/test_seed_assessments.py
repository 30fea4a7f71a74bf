import pytest
from django.core.management import call_command

from assessments.models import AnnualAssessment, Incident, MonitoringRank
from assessments.reports import distribution
from cadres.models import Unit


@pytest.mark.django_db
def test_seed_assessments_after_demo_respects_quotas(settings):
    settings.DEBUG = True
    call_command("seed_demo", cadres=120, verbosity=0)
    call_command("seed_assessments", years=3, verbosity=0)
    assert AnnualAssessment.objects.count() > 300
    assert MonitoringRank.objects.exists()
    assert Incident.objects.exists()
    years = sorted(set(AnnualAssessment.objects.values_list("year", flat=True)))
    assert len(years) == 3
    assert not [r for r in distribution(Unit.objects.all(), years) if r.over]
    count = AnnualAssessment.objects.count()
    call_command("seed_assessments", verbosity=0)  # idempotent
    assert AnnualAssessment.objects.count() == count
