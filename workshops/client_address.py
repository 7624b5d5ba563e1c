"""The address a request came from, for the throttles (join-code guesses, log-in failures).

Behind the production reverse proxy every request reaches Django from the proxy's own
address, so throttling by REMOTE_ADDR would let 30 typos anywhere block every phone from
joining, and five wrong passwords lock a user out for all. The proxy appends the address it
saw to X-Forwarded-For. That header is believed only when the request comes from one of
TRUSTED_PROXIES: anyone reaching the app server directly could otherwise rotate it and never
be throttled. The header is walked from the right, skipping trusted proxies; the first
address that is not one is the client (entries further left come from the client and can be
forged). Anything that is not an IP address stops the walk.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


@lru_cache(maxsize=16)
def parse_networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    """TRUSTED_PROXIES entries (addresses or CIDR ranges) as networks; ValueError on a bad one."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in networks)


def client_address(request) -> str | None:
    """The client's IP address, or None when unknown (log-in records keep it as an IP)."""
    address = _ip(request.META.get("REMOTE_ADDR") or "")
    networks = parse_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if address is None or not networks:
        return address
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not _is_trusted(address, networks):
            return address
        forwarded = _ip(entry)
        if forwarded is None:
            return address
        address = forwarded
    return address
