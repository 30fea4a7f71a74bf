"""Who may use the register (and export from it), and whose export is whose.

What a user sees in the register is core.document_access.readable_documents(user): the
set-based reading rules that the apps owning the document kinds registered there. Nothing
here restates an app's rule.
"""

from __future__ import annotations

from django.http import Http404

from core.enums import Role
from core.models import User
from register.models import ExportJob, ExportKind


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def can_use_register(user: User) -> bool:
    """May open the register and export from it (what they see is readable_documents)."""
    if not _active(user):
        return False
    if user.is_administrator:
        return True
    if user.has_role(*Role.authority_staff_roles(), Role.AUDITOR) and user.authority_ids:
        return True
    return user.has_role(Role.CADRE) and user.cadre_id is not None


def get_export_for_user(user: User, pk: int) -> ExportJob:
    """An export is its requester's alone, while they may still make it (use the register;
    handle the case, for a case file); 404 for missing and forbidden alike."""
    from tolerance.case_file import may_export

    if not user.is_authenticated or not user.is_active:
        raise Http404("No such export")
    job = ExportJob.objects.select_related("case").filter(pk=pk, requested_by=user).first()
    if job is None:
        raise Http404("No such export")
    if job.kind == ExportKind.CASE_FILE and not may_export(user, job.case):
        raise Http404("No such export")
    if job.kind == ExportKind.REGISTER and not can_use_register(user):
        raise Http404("No such export")
    return job
