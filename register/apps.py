from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    """The auditors' register of issued documents and its exports: the top floor. It reads
    every app (through the document access registry and their public queries); no app
    imports it."""

    name = "register"
    verbose_name = _("Register of documents")
