"""What a phone's vote post says, read without the database.

Shared by the fast path (ratings.fastvote) and the vote view, so both refuse the same input.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_A_LEVEL = -1


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


def read_tap(post) -> Tap:
    """The round, level and tap number of a vote post, or the reason it cannot be recorded."""
    tap = Tap(small_int(post.get("round", "")), level(post.get("level", "")), tap_seq(post.get("tap", "")))
    if tap.round_pk is None or tap.seq == -1:
        return Tap(tap.round_pk, tap.level, tap.seq, "That vote was incomplete: tap your choice again.")
    if tap.level == NOT_A_LEVEL:
        return Tap(
            tap.round_pk, tap.level, tap.seq, "That is not one of the levels: your vote was not recorded."
        )
    return tap
