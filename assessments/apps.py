from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from cadres.lrmx.sources import register

        from .lrmx import annual_results

        register("NianDuKaoHeJieGuo", annual_results)
