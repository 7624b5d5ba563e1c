"""What a phone's vote post says, read without the database.

Shared by the fast path (ratings.fastvote) and the vote view, so both refuse the same input
and order a vote by the same rule.

The order of a phone's votes in a round (Vote.tap_seq) is a time in milliseconds on one clock:
- A tap from the offline queue (static/ratings/offline.js) is numbered with the phone's clock,
  set to the server's by the page it was tapped on, at the moment of the tap. A late retry of a
  tap therefore never overwrites anything chosen after it.
- A post without a tap id (the form without JavaScript, or a page tapped before its script
  loaded) is a fresh, deliberate choice from a page the user has just seen; it is numbered with
  the server's clock when it arrives. It replaces every tap made before it arrived, and a tap
  made before it but delivered later (an offline retry) cannot overwrite it. It loses only to a
  tap numbered after its arrival (a clock ahead, by at most TAP_AHEAD_MS): then it is refused
  with a message saying the newer choice stands, never silently applied.
- A tap number outside [TAP_FLOOR_MS, now + TAP_AHEAD_MS] is not a phone's clock: refused with
  400. Without the upper bound one absurd number (999999999999999) outranked every later tap
  of that phone; now a number can outrank the phone's later taps for TAP_AHEAD_MS at most.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

NOT_A_LEVEL = -1
TAP_FLOOR_MS = 1_735_689_600_000  # 2025-01-01 00:00 UTC: no phone tap is older than this code
TAP_AHEAD_MS = 10 * 60 * 1000  # a phone's clock corrected by the page is seconds out, not minutes
SAME_MOMENT_MS = 1000  # posts racing each other within this are one burst, not a newer choice
CLOCK_MESSAGE = "That tap's time is not this phone's clock: reload the page and tap your choice again."


def now_ms() -> int:
    """The server's clock in milliseconds, the unit of tap numbers."""
    return time.time_ns() // 1_000_000


def small_int(raw: str) -> int | None:
    """A posted id or number, or None: ASCII digits only ("²".isdigit() is true but int()
    refuses it), and few enough to fit any database integer column."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


def tap_seq(raw: str) -> int | None:
    """The sequence number of a tap id "<phone id>:<number>" (-1 when malformed)."""
    if not raw:
        return None
    phone, _, seq = raw.rpartition(":")
    if not (0 < len(phone) <= 40 and phone.replace("-", "").isalnum() and phone.isascii()):
        return -1
    return int(seq) if seq.isascii() and seq.isdigit() and len(seq) <= 15 else -1


def level(raw: str) -> int | None:
    """A posted level: None for "unsure", NOT_A_LEVEL for anything that is not a small number."""
    if raw == "unsure":
        return None
    if len(raw) < 4 and small_int(raw) is not None:
        return int(raw)
    return NOT_A_LEVEL


@dataclass(frozen=True)
class Tap:
    round_pk: int | None
    level: int | None
    seq: int | None
    error: str | None = None
    arrived_ms: int = 0

    @property
    def untapped(self) -> bool:
        return self.seq is None

    @property
    def order(self) -> int:
        """Where this vote stands among the phone's votes: its tap's time, else its arrival."""
        return self.arrived_ms if self.seq is None else self.seq


def read_tap(post, arrived_ms: int | None = None) -> Tap:
    """The round, level and order of a vote post, or the reason it cannot be recorded."""
    now = now_ms() if arrived_ms is None else arrived_ms
    round_pk, lv = small_int(post.get("round", "")), level(post.get("level", ""))
    seq = tap_seq(post.get("tap", ""))
    if round_pk is None or seq == -1:
        return Tap(round_pk, lv, seq, "That vote was incomplete: tap your choice again.", now)
    if seq is not None and not TAP_FLOOR_MS <= seq <= now + TAP_AHEAD_MS:
        return Tap(round_pk, lv, seq, CLOCK_MESSAGE, now)
    if lv == NOT_A_LEVEL:
        return Tap(round_pk, lv, seq, "That is not one of the levels: your vote was not recorded.", now)
    return Tap(round_pk, lv, seq, None, now)
