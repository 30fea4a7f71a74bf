"""REST API of issued documents: the ones the user may read, one document, its file.

The default permission and pagination are in core.api_access (DRF imports them from its
settings, so they live apart from the views). Which objects a user reaches is decided by
each app's own access helpers (cadres.permissions, tolerance.permissions, and for documents
the registry core.document_access that the owning apps fill), exactly as in the pages.

The list holds the documents the user may read (core.document_access.readable_documents,
the set-based form of each app's rule); one document and its file go through
core.document_access.get_document_for_user (404 for missing and forbidden alike).
"""

from __future__ import annotations

import logging

import django_filters
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException

from . import audit
from .api_access import IdFilter
from .api_errors import ErrorSerializer
from .document_access import get_document_for_user, readable_documents
from .documents import DocumentIntegrityError, read_document
from .models import DocumentKind, IssuedDocument

logger = logging.getLogger(__name__)


class DocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    cadre_name = serializers.SerializerMethodField()
    media_type = serializers.CharField(source="content_type_header", read_only=True)

    class Meta:
        model = IssuedDocument
        fields = (
            "id",
            "number",
            "kind",
            "kind_label",
            "title",
            "authority",
            "authority_name",
            "year",
            "cadre",
            "cadre_name",
            "issued_on",
            "issued_at",
            "filename",
            "media_type",
            "size",
            "sha256",
        )
        read_only_fields = fields

    def get_cadre_name(self, document) -> str | None:
        return document.cadre.name if document.cadre_id else None


class DocumentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices)
    year = IdFilter(field_name="year", max_value=9999)
    # The authority model as the documents' foreign key names it (core imports no domain app).
    authority = django_filters.ModelChoiceFilter(
        queryset=IssuedDocument._meta.get_field("authority").related_model.objects.all()
    )
    cadre = IdFilter(field_name="cadre_id")
    number = django_filters.CharFilter(field_name="number")
    issued_from = django_filters.DateFilter(field_name="issued_on", lookup_expr="gte")
    issued_to = django_filters.DateFilter(field_name="issued_on", lookup_expr="lte")

    class Meta:
        model = IssuedDocument
        fields = ("kind", "year", "authority", "cadre", "number", "issued_from", "issued_to")


class IntegrityFailure(APIException):
    status_code = 500
    default_code = "integrity_error"
    default_detail = gettext_lazy(
        "The archived file of this document failed its integrity check. "
        "Please tell the system administrator."
    )


@extend_schema(tags=["documents"])
class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Issued documents (文书) the user may read: the list, one document, its file."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    lookup_value_converter = "int"
    keyset_order = ("-issued_at", "-id")
    queryset = IssuedDocument.objects.none()  # for the schema; see get_queryset

    def get_queryset(self):
        return readable_documents(self.request.user).select_related("authority", "cadre")

    def get_object(self):
        return get_document_for_user(self.request.user, int(self.kwargs["pk"]))

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The archived file, as issued."
            ),
            404: ErrorSerializer,
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The archived file, checked against the SHA-256 taken at issue (audited)."""
        document = self.get_object()
        try:
            content = read_document(document)
        except (DocumentIntegrityError, FileNotFoundError) as exc:
            logger.exception("Archived document %s failed its integrity check", document.pk)
            raise IntegrityFailure() from exc
        audit.record(
            "document.download",
            actor=request.user,
            obj=document,
            authority_id=document.authority_id,
        )
        response = HttpResponse(content, content_type=document.content_type_header)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=document.filename
        )
        response["Content-Length"] = str(len(content))
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

