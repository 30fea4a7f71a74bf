from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("Cadres and units")

    def ready(self) -> None:
        from core.audit_display import ACTION_PREFIX_LABELS

        from .access import connect_invalidation
        from .enums import MoveType

        connect_invalidation()
        ACTION_PREFIX_LABELS["cadre.move."] = (_("Cadre moved"), MoveType)
