"""Navigation entries by role: the same predicates the views use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cadres.access import remembered
from cadres.permissions import can_browse_audit, can_export_roster, can_manage_roster


def _roster_links(user) -> tuple[bool, bool]:
    """(may manage the roster, may export it): kept across requests with the user's reach
    (cadres.access), so that pages do not query authorities for the navigation."""
    return remembered(user, "nav", lambda: (can_manage_roster(user), can_export_roster(user)))


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Home"), reverse("home")), (_("Cadres"), reverse("cadres:list"))]
    manages, exports = _roster_links(user)
    if manages:
        # The page holds the export too; its title is the same words.
        items.append((_("Roster import and export"), reverse("cadres:roster-import")))
        items.append((_("Import appointment forms (.lrmx)"), reverse("cadres:lrmx-import")))
    elif exports:
        items.append((_("Export the roster"), reverse("cadres:roster-export")))
    if can_browse_audit(user):
        items.append((_("Audit log"), reverse("audit-log")))
    if user.is_administrator:
        items.append((_("Administration"), reverse("admin:index")))
    return {"nav_items": items}
