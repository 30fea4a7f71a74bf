"""The product's URLs plus `/bench/bare`, the anchor every page is compared with.

The bare view does what a list page cannot do less of: read 50 cadres with keyset paging
(`?after=<id>`) from the same PostgreSQL over the same persistent connection, and answer a
small HTML table rendered without templates. It checks no login and no permissions.
"""

from django.http import HttpResponse
from django.urls import path
from django.utils.html import escape

from cadres.models import Cadre
from config.urls import urlpatterns as product_urlpatterns


def bare(request):
    raw = request.GET.get("after", "")
    after = int(raw) if raw.isascii() and raw.isdigit() else 0
    rows = Cadre.objects.filter(pk__gt=after).order_by("pk").values_list("pk", "name", "rank")[:50]
    body = "".join(
        f"<tr><td>{pk}</td><td>{escape(name)}</td><td>{rank}</td></tr>" for pk, name, rank in rows
    )
    return HttpResponse(f"<table>{body}</table>")


urlpatterns = [path("bench/bare", bare), *product_urlpatterns]
