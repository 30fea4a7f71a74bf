from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from cadres.lrmx.sources import register
        from core.audit_display import VALUE_LABELS
        from core.imports import register_import_kind

        from .enums import Dimension
        from .imports import jobs
        from .lrmx import annual_results

        register("NianDuKaoHeJieGuo", annual_results)
        register_import_kind(jobs.KIND, jobs.EVIDENCE_IMPORT)
        # Check-up dimensions recorded as codes in audit rows (warnings raised, findings).
        VALUE_LABELS["findings"] = dict(Dimension.choices)
        VALUE_LABELS["warnings"] = dict(Dimension.choices)
