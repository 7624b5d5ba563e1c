"""The address a request came from, for the throttles (join-code guesses, log-in failures).

Behind the TLS proxy of the production set-up (SECURE_PROXY_SSL_HEADER on) every request
reaches Django from the proxy's own address, so throttling by REMOTE_ADDR would let 30 typos
anywhere block every phone from joining, and five wrong passwords lock a user out for all.
The proxy appends the address it saw to X-Forwarded-For; the last entry is that one (earlier
entries come from the client and can be forged). Without a proxy the header is ignored;
anything that is not an IP address is too.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's IP address, or None when unknown (log-in records keep it as an IP)."""
    remote = _ip(request.META.get("REMOTE_ADDR") or "")
    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return _ip(forwarded.rsplit(",", 1)[-1]) or remote
