"""Rules of notes from phones and of dot-voting, as pure functions (no database).

Notes are what the room writes for one domain in three columns; dots are how the room
chooses its priorities for change: three per phone, more than one allowed on a domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .rules import MAX_PRIORITIES, normalise_text

MAX_NOTE = 280  # characters: a phone's short note, not an essay
DOTS_PER_PHONE = 3
WALL_PER_COLUMN = 6  # cards per column the projector shows at most; the rest are counted
# A projector column holds about 16 lines of about 24 characters at full size (1280x720);
# a card costs its lines plus one for its padding.
WALL_LINES, WALL_LINE_CHARS = 16, 24

KINDS = (
    ("working_well", "What is working well"),
    ("challenges", "Challenges"),
    ("next_steps", "Next steps"),
)
KIND_LABELS = dict(KINDS)


def clean_note(text: str) -> tuple[str, str | None]:
    """(the note as it will be stored, an error message or None)."""
    text = normalise_text(text or "").strip()
    if not text:
        return text, "Write something first: the note was empty."
    if len(text) > MAX_NOTE:
        return text, (
            f"A note can have at most {MAX_NOTE} characters; this one has {len(text)}. "
            "Shorten it or split it into two notes."
        )
    return text, None


def kind_error(kind: str) -> str | None:
    return None if kind in KIND_LABELS else "Choose a column: working well, challenges or next steps."


def free_slot(taken: Iterable[int]) -> int | None:
    """The lowest dot slot (1..3) this phone has not used, or None when all three are placed."""
    used = set(taken)
    return next((slot for slot in range(1, DOTS_PER_PHONE + 1) if slot not in used), None)


def fourth_dot_message() -> str:
    return f"You have placed all {DOTS_PER_PHONE} dots. Take one off a domain first if you want to move it."


def cards_that_fit(lengths: Iterable[int], lines: int = WALL_LINES, per_line: int = WALL_LINE_CHARS) -> int:
    """How many of these cards (newest first) fit in a projector column: at least one."""
    used = shown = 0
    for length in lengths:
        used += -(-max(length, 1) // per_line) + 1
        if used > lines and shown:
            break
        shown += 1
    return shown


def append_text(existing: str, addition: str) -> str:
    """A box's text with a note added on a line of its own (nothing already there is lost)."""
    existing = existing.rstrip("\n")
    return f"{existing}\n{addition}" if existing else addition


@dataclass(frozen=True)
class Ranked:
    """One domain in the dot-vote tally, with whether it makes the top three."""

    code: str
    dots: int
    rank: int  # 1 for the most dots; equal counts share a rank
    suggested: bool  # in the top three without a tie at the cut
    tied_at_cut: bool  # tied with others across the cut: the facilitator decides


def rank_dots(counts: Mapping[str, int], order: Iterable[str], limit: int = MAX_PRIORITIES) -> list[Ranked]:
    """Domains by dots (framework order within a count); ties across the cut are flagged.

    Domains without a dot are never suggested.
    """
    codes = sorted(order, key=lambda code: -counts.get(code, 0))  # sorted() is stable
    rows: list[Ranked] = []
    for code in codes:
        dots = counts.get(code, 0)
        above = sum(1 for other in codes if counts.get(other, 0) > dots)
        rank = 1 + above
        same = sum(1 for other in codes if counts.get(other, 0) == dots)
        fits = above + same <= limit
        tied = dots > 0 and not fits and above < limit
        rows.append(Ranked(code, dots, rank, suggested=dots > 0 and fits, tied_at_cut=tied))
    return rows


def chosen_by_words(people: int) -> str:
    if people == 1:
        return "priorities chosen by 1 person"
    return f"priorities chosen by {people} people"
