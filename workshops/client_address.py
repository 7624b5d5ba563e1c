"""The address a request came from, for the throttles (join-code guesses, log-in failures).

Behind the TLS proxy of the production set-up (SECURE_PROXY_SSL_HEADER on) every request
reaches Django from the proxy's own address, so throttling by REMOTE_ADDR would let 30 typos
anywhere block every phone from joining, and five wrong passwords lock a user out for all.
The proxy appends the address it saw to X-Forwarded-For; the last entry is that one (earlier
entries come from the client and can be forged). Without a proxy the header is ignored.
"""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    return last[:64] or remote
