import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("cadre_cases")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Periodic tasks that live apart from an app's tasks module (tolerance.beat_tasks).
app.autodiscover_tasks(related_name="beat_tasks")


@signals.setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """Workers and beat log through settings.LOGGING (ID numbers redacted), not through
    handlers of Celery's own that would bypass the redaction filter."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
