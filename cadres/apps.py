from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("Cadres and units")

    def ready(self) -> None:
        from core.audit_display import ACTION_PREFIX_LABELS
        from core.imports import register_import_kind

        from .access import connect_invalidation
        from .enums import MoveType
        from .lrmx import jobs as lrmx_jobs
        from .roster import jobs as roster_jobs

        connect_invalidation()
        register_import_kind(roster_jobs.KIND, roster_jobs.ROSTER_IMPORT)
        register_import_kind(lrmx_jobs.KIND, lrmx_jobs.LRMX_IMPORT)
        ACTION_PREFIX_LABELS["cadre.move."] = (_("Cadre moved"), MoveType)
