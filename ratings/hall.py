"""The join address phones use: PUBLIC_URL when set, and a warning when it is a loopback one.

`make run` serves on 127.0.0.1, so a QR code built from the browser's address would send
phones to themselves. In a hall the laptop runs `make hall` (binds the LAN address and sets
PUBLIC_URL); the console and projector warn whenever the join address is still loopback.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def join_url(request, join_code: str) -> str:
    path = reverse("ratings_join") + f"?code={join_code}"
    public = getattr(settings, "PUBLIC_URL", "")
    if public:
        return public.rstrip("/") + path
    return request.build_absolute_uri(path)


def is_loopback(url: str) -> bool:
    """True for addresses only this computer can reach (127.x, ::1, localhost)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def display(url: str) -> str:
    """What people type: no scheme, no query."""
    return url.split("://", 1)[-1].split("?", 1)[0]


def display_html(url: str) -> SafeString:
    """The address allowed to wrap only after a slash, dot or hyphen, never mid-word."""
    pieces = re.findall(r"[^/.-]*[/.-]?", display(url))
    return mark_safe("<wbr>".join(f'<span class="nobreak">{escape(p)}</span>' for p in pieces if p))
