"""Which phones are in the room now: seen by a poll, a page or a vote in the last 15-30 seconds.

(A vote from a page with JavaScript, answered by ratings.fastvote, leaves the marking to that
page's polls, which come every 1.5 s.)

Kept in the Django cache (Redis in production), never in the database, so a poll costs no
write. Time is cut into 15-second windows; a phone is marked once per window (`cache.add`,
one round trip that is almost always a no-op), and the first mark of a window also counts it.
A phone is present when it was seen in this window or the one before, so one that left drops
out within 30 s. Every key is its own, so a thousand phones never rewrite one shared value
(no lost updates between processes or servers).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache

from . import fastcache

WINDOW_SECONDS = 15
PRESENT_SECONDS = 2 * WINDOW_SECONDS
_TIMEOUT = 3 * WINDOW_SECONDS


def _window(now: float | None) -> int:
    return int((time.time() if now is None else now) // WINDOW_SECONDS)


def _seen_key(workshop_pk: int, window: int, participant_pk: int) -> str:
    return f"ratings:here:{workshop_pk}:{window}:{participant_pk}"


def _count_key(workshop_pk: int, window: int) -> str:
    return f"ratings:here:{workshop_pk}:{window}:n"


def _add_to_count(key: str, delta: int) -> None:
    cache.add(key, 0, _TIMEOUT)
    try:
        cache.incr(key, delta)
    except ValueError:  # expired between the two calls
        cache.set(key, max(delta, 0), _TIMEOUT)


def mark_seen(workshop_pk: int, participant_pk: int, now: float | None = None, *, read: str | None = None):
    """Note that this participant's phone asked just now (one cache call when already marked).

    With `read`, that cache key's value comes back from the same round trip (a poll reads the
    state version).
    """
    window = _window(now)
    added, value = fastcache.add_and_get(_seen_key(workshop_pk, window, participant_pk), True, _TIMEOUT, read)
    if added:
        _add_to_count(_count_key(workshop_pk, window), 1)
    return value


def forget(workshop_pk: int, participant_pk: int, now: float | None = None) -> None:
    """The phone is gone (tests simulate a phone leaving the hall with this)."""
    window = _window(now)
    for w in (window, window - 1):
        key = _seen_key(workshop_pk, w, participant_pk)
        if cache.get(key):
            cache.delete(key)
            _add_to_count(_count_key(workshop_pk, w), -1)


def present_count(workshop_pk: int, now: float | None = None) -> int:
    """Phones seen in this window or the previous one (each window counts every phone present)."""
    window = _window(now)
    counts = cache.get_many([_count_key(workshop_pk, window), _count_key(workshop_pk, window - 1)])
    return max([0, *counts.values()])


def present_ids(workshop_pk: int, among: Iterable[int], now: float | None = None) -> set[int]:
    """Which of these participants were seen in this window or the previous one."""
    window = _window(now)
    keys = {}
    for pk in among:
        keys[_seen_key(workshop_pk, window, pk)] = pk
        keys[_seen_key(workshop_pk, window - 1, pk)] = pk
    return {keys[key] for key in cache.get_many(list(keys))}
