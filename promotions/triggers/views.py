"""The scan page action: start the yearly trigger scan for the user's authorities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from promotions.proposals.permissions import can_scan
from promotions.proposals.views import _int


@require_POST
@login_required
def scan_now(request):
    from promotions.tasks import scan_year

    if not can_scan(request.user):
        raise Http404("No such page")
    year = _int(request.POST.get("year"), timezone.localdate().year - 1)
    for authority_id in sorted(request.user.authority_ids):
        scan_year.delay(year=year, authority_id=authority_id)
    messages.success(request, _("The scan of %(year)s was started.") % {"year": year})
    return redirect("promotions:proposals")
