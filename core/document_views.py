"""Views of issued documents: the download for permitted users, the public verification page."""

from __future__ import annotations

import logging
import time

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import audit
from .document_access import get_document_for_user
from .documents import (
    DocumentIntegrityError,
    normalize_number,
    normalize_sha256,
    read_document,
    sha256_of_chunks,
    verify_document,
)
from .middleware import client_ip

logger = logging.getLogger(__name__)

# Verification attempts per client IP per minute; the counter lives in the Django cache.
VERIFY_PER_MINUTE = settings.DOCUMENT_VERIFY_PER_MINUTE
# Issued documents are a few pages; anything larger cannot be one of them.
VERIFY_MAX_BYTES = settings.DOCUMENT_VERIFY_MAX_BYTES


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk)
    try:
        content = read_document(document)
    except (DocumentIntegrityError, FileNotFoundError):
        logger.exception("Archived document %s failed its integrity check", document.pk)
        return HttpResponse(
            _(
                "The archived file of this document failed its integrity check. "
                "Please tell the system administrator."
            ),
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    audit.record(
        "document.download", actor=request.user, obj=document, authority_id=document.authority_id
    )
    response = HttpResponse(content, content_type=document.content_type_header)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.filename
    )
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "placeholder": "甲组容〔2026〕7号",
                "autocomplete": "off",
            }
        ),
    )
    sha256 = forms.CharField(
        label=gettext_lazy("SHA-256 fingerprint of the file"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "class": "form-control font-monospace",
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": "e3b0c44298fc1c149afbf4c8996fb924…",
            }
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("or the file itself"),
        required=False,
        widget=forms.FileInput(attrs={"class": "form-control", "accept": "application/pdf,.pdf"}),
    )

    def clean_number(self) -> str:
        return normalize_number(self.cleaned_data["number"])

    def clean_sha256(self) -> str:
        text = self.cleaned_data["sha256"]
        if not text.strip():
            return ""
        digest = normalize_sha256(text)
        if digest is None:
            raise forms.ValidationError(
                _("A SHA-256 fingerprint has 64 characters, each 0–9 or a–f.")
            )
        return digest

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if not upload:
            return ""
        if upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": VERIFY_MAX_BYTES // 2**20}
            )
        return sha256_of_chunks(upload.chunks())

    def clean(self):
        data = super().clean()
        typed, computed = data.get("sha256"), data.get("file")
        if self.errors:
            return data
        if typed and computed:
            raise forms.ValidationError(_("Give either the fingerprint or the file, not both."))
        if not typed and not computed:
            raise forms.ValidationError(
                _("Enter the file's SHA-256 fingerprint or choose the file.")
            )
        data["digest"] = typed or computed
        return data


def _over_rate_limit(request: HttpRequest) -> bool:
    """A fixed one-minute window per client IP, counted in the shared cache."""
    window = int(time.time() // 60)
    key = f"documents:verify:{client_ip(request) or 'unknown'}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > VERIFY_PER_MINUTE


@never_cache
@require_http_methods(["GET", "POST"])
def document_verify(request: HttpRequest) -> HttpResponse:
    """Anyone holding a document may check it is genuine: number plus SHA-256 (or the file)."""
    result = None
    limited = False
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        limited = _over_rate_limit(request)
        if not limited and form.is_valid():
            result = verify_document(form.cleaned_data["number"], form.cleaned_data["digest"])
            logger.info(
                "Document verification of %r: %s", form.cleaned_data["number"], result.status
            )
    else:
        form = VerifyForm(initial={"number": request.GET.get("number", "")[:64]})
    return render(
        request,
        "core/document_verify.html",
        {"form": form, "result": result, "limited": limited, "per_minute": VERIFY_PER_MINUTE},
        status=429 if limited else 200,
    )
