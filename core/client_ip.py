"""The client's IP address as the trusted reverse proxy saw it.

Behind a proxy, REMOTE_ADDR is the proxy for every client, and the leftmost
X-Forwarded-For entry is whatever the client chose to send. Only what the trusted proxies
appended can be believed:

- ``CLIENT_IP_HEADER`` (a ``request.META`` key such as ``HTTP_X_REAL_IP``): a header the
  proxy always overwrites with the address it received from (nginx
  ``proxy_set_header X-Real-IP $remote_addr``). Wins when set.
- ``TRUSTED_PROXY_COUNT`` = N > 0: each of the N proxies appends the address it received
  from to X-Forwarded-For, so the client is the N-th entry from the right. Anything left of
  it was written by the client and is ignored.
- Neither: REMOTE_ADDR (no proxy in front).

A value that is not an IP address falls back to REMOTE_ADDR. The same function keys the
login lockout (AXES_CLIENT_IP_CALLABLE), the audit log and the rate limits.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _ip(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    header = settings.CLIENT_IP_HEADER
    if header:
        return _ip(request.META.get(header, "")) or remote
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        entries = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
        if len(entries) >= proxies:
            return _ip(entries[-proxies]) or remote
    return remote
