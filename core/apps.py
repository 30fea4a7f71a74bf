from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .display import install

        install()

        from .notification_kinds import KINDS, TARGETS
        from .notifications import register_notification_kinds, register_notification_targets

        register_notification_kinds(*KINDS)
        register_notification_targets(*TARGETS)
