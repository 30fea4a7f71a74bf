from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToleranceConfig(AppConfig):
    name = "tolerance"
    verbose_name = _("Tolerance")

    def ready(self):
        from core.documents import register_document_access
        from core.drafts import register_draft_source
        from core.models import DocumentKind

        from . import ruling_drafts
        from .rulings import can_read_document

        for kind in (
            DocumentKind.ACCEPTANCE_NOTICE,
            DocumentKind.NON_ACCEPTANCE_NOTICE,
            DocumentKind.TOLERANCE_RULING,
            DocumentKind.APPEAL_DECISION,
        ):
            register_document_access(kind, can_read_document)
        register_draft_source(DocumentKind.TOLERANCE_RULING, ruling_drafts.SOURCE)
