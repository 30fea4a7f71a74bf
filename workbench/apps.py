from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """The staff workbench: home (my work), grouped navigation, global search, pickers.

    It sits on top of the domain apps and reads them through their public permission and
    filter functions; nothing imports it.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "workbench"
    verbose_name = "workbench"
