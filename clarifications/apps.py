from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ClarificationsConfig(AppConfig):
    name = "clarifications"
    verbose_name = pgettext_lazy("clarifications", "Clarification and prevention")

    def ready(self):
        from core.notifications import register_notification_kinds, register_notification_targets

        from .notification_kinds import KINDS, TARGETS

        register_notification_kinds(*KINDS)
        register_notification_targets(*TARGETS)
        from core.audit_display import ACTION_LABELS
        from core.document_access import register_document_access
        from core.drafts import register_draft_source
        from core.models import DocumentKind

        from . import documents
        from .permissions import (
            AUDIT_LABELS,
            can_read_notice,
            readable_notice_paths,
            readable_notices_q,
        )

        register_document_access(
            (DocumentKind.CLARIFICATION_NOTICE,),
            check=can_read_notice,
            readable=readable_notices_q,
            paths=readable_notice_paths,
        )
        register_draft_source(DocumentKind.CLARIFICATION_NOTICE, documents.DRAFT_SOURCE)
        ACTION_LABELS.update(AUDIT_LABELS)
