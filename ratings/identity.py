"""Who is asking, without accounts: participants' signed cookies, facilitators' poll tokens
and the per-address throttle on join-code guesses (README, "Join-code throttle").

Everything here is checked without the database, so a poll that finds nothing new costs one
query.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from workshops.client_address import client_address

PARTICIPANT_SALT = "ratings.participant"
PARTICIPANT_MAX_AGE = 14 * 24 * 3600  # a workshop day with room to spare
POLL_SALT = "ratings.poll"
POLL_MAX_AGE = 12 * 3600
JOIN_FAILURES_ALLOWED = 30  # a hall behind one NAT address still has room for typos
JOIN_WINDOW_SECONDS = 300


def participant_cookie_name(join_code: str) -> str:
    return f"cascade_p_{join_code}"


def set_participant_cookie(
    response, join_code: str, workshop_pk: int, token: str, participant_pk: int | None = None
) -> None:
    """The participant's pk rides along so presence is marked without a query."""
    value = f"{workshop_pk}:{token}" + (f":{participant_pk}" if participant_pk is not None else "")
    response.set_signed_cookie(
        participant_cookie_name(join_code),
        value,
        salt=PARTICIPANT_SALT,
        max_age=PARTICIPANT_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def read_participant(request, join_code: str) -> tuple[int, str, int | None] | None:
    """(workshop pk, participant token, participant pk) from one signature check, if this
    device joined the workshop with this code (the pk is None for cookies set before it was
    added)."""
    raw = request.get_signed_cookie(
        participant_cookie_name(join_code), default=None, salt=PARTICIPANT_SALT, max_age=PARTICIPANT_MAX_AGE
    )
    if not raw:
        return None
    parts = raw.split(":")
    if len(parts) < 2 or not parts[0].isdigit() or not parts[1]:
        return None
    participant_pk = int(parts[2]) if len(parts) == 3 and parts[2].isdigit() else None
    return int(parts[0]), parts[1], participant_pk


def read_participant_cookie(request, join_code: str) -> tuple[int, str] | None:
    """(workshop pk, participant token) if this device joined the workshop with this code."""
    ident = read_participant(request, join_code)
    return None if ident is None else ident[:2]


def participant_pk_from_cookie(request, join_code: str) -> int | None:
    """The participant's pk from the signed cookie (None for cookies set before it was added)."""
    ident = read_participant(request, join_code)
    return None if ident is None else ident[2]


def poll_token(workshop_pk: int, user_pk: int) -> str:
    """Handed to a facilitator's page so its polls are checked without a session lookup."""
    return signing.dumps([workshop_pk, user_pk], salt=POLL_SALT, compress=False)


def read_poll_token(token: str, workshop_pk: int) -> bool:
    try:
        value = signing.loads(token, salt=POLL_SALT, max_age=POLL_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(value, list) and len(value) == 2 and value[0] == workshop_pk


def _address_bucket(request) -> str:
    """Whose guesses count together: an IPv4 address, or an IPv6 /64 (one home or phone network
    is handed a whole /64, so counting single IPv6 addresses would give it 2**64 allowances)."""
    address = client_address(request)
    if address is None:
        return "unknown"
    ip = ipaddress.ip_address(address)
    if ip.version == 4:
        return address
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def _join_key(request) -> str:
    return f"ratings:join-failures:{_address_bucket(request)}"


def _joined_key(request, code: str) -> str:
    return f"ratings:join-known:{_address_bucket(request)}:{code}"


def join_throttled(request, code: str) -> bool:
    """Whether this join attempt is refused unchecked (429): the address has sent
    JOIN_FAILURES_ALLOWED wrong codes in the window, and no phone at it has joined with this
    code in the window.

    A hall behind one address keeps joining through its own typos, since its code is one a
    phone there has already joined with; a guesser, who knows no code, gets no more answers.
    """
    if (cache.get(_join_key(request)) or 0) < JOIN_FAILURES_ALLOWED:
        return False
    known = code.isascii() and 0 < len(code) <= 12 and cache.get(_joined_key(request, code))
    return not known


def record_join_success(request, code: str) -> None:
    """A phone at this address joined with this code: it stays open to the address in the
    window (refreshed by each join), whatever typos the address sends."""
    cache.set(_joined_key(request, code), 1, JOIN_WINDOW_SECONDS)


def record_join_failure(request) -> None:
    key = _join_key(request)
    if cache.add(key, 1, JOIN_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, JOIN_WINDOW_SECONDS)
