"""Which phones are in the room now: seen by a poll, a page or a vote in the last 30 seconds.

Kept in the Django cache (Redis in production), never in the database, so a poll costs no
write. One dictionary per workshop, {participant pk: last seen}; a participant's entry is
rewritten at most every few seconds. Two processes writing at once may drop an entry, which
the phone's next poll (two seconds later) puts back: presence is a headcount, not a record.
"""

from __future__ import annotations

import time

from django.core.cache import cache

PRESENT_SECONDS = 30
REFRESH_SECONDS = 5
_TIMEOUT = 12 * 3600


def _key(workshop_pk: int) -> str:
    return f"ratings:presence:{workshop_pk}"


def _fresh(seen: dict, now: float) -> dict:
    return {pk: at for pk, at in seen.items() if now - at < PRESENT_SECONDS}


def mark_seen(workshop_pk: int, participant_pk: int, now: float | None = None) -> None:
    """Note that this participant's phone asked just now (cheap when it asked recently)."""
    now = time.time() if now is None else now
    seen = cache.get(_key(workshop_pk)) or {}
    if now - seen.get(participant_pk, 0) < REFRESH_SECONDS:
        return
    seen = _fresh(seen, now)
    seen[participant_pk] = now
    cache.set(_key(workshop_pk), seen, _TIMEOUT)


def forget(workshop_pk: int, participant_pk: int) -> None:
    seen = cache.get(_key(workshop_pk)) or {}
    if seen.pop(participant_pk, None) is not None:
        cache.set(_key(workshop_pk), seen, _TIMEOUT)


def present_ids(workshop_pk: int, now: float | None = None) -> set[int]:
    now = time.time() if now is None else now
    return set(_fresh(cache.get(_key(workshop_pk)) or {}, now))


def present_count(workshop_pk: int, now: float | None = None) -> int:
    return len(present_ids(workshop_pk, now))
