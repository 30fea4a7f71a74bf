from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Audit actions of the demonstration seeding commands (manage.py seed_demo, seed_assessments).
AUDIT_LABELS = {
    "demo.seed": _("Demonstration data loaded"),
    "assessment.demo.seed": _("Demonstration assessment data loaded"),
}


class DemoConfig(AppConfig):
    name = "demo"
    verbose_name = _("Demonstration data")

    def ready(self):
        from core.audit_display import ACTION_LABELS

        ACTION_LABELS.update(AUDIT_LABELS)
