"""The pure rules of rating before the day: the window, the note and the "how reached" words."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ratings.models import EVIDENCE_MAX
from ratings.prerating import (
    WindowState,
    clean_note,
    default_closing,
    how_reached_words,
    note_error,
    window_state,
)

NOW = dt.datetime(2026, 8, 30, 12, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=2)


def test_it_is_not_open_until_the_facilitator_opens_it():
    assert window_state("draft", None, None, NOW) == WindowState.NOT_OPENED


def test_it_is_open_on_a_draft_workshop_before_the_closing_time():
    assert window_state("draft", NOW - dt.timedelta(hours=1), LATER, NOW) == WindowState.OPEN


def test_it_closes_at_the_closing_time():
    assert window_state("draft", NOW - dt.timedelta(hours=1), NOW, NOW) == WindowState.CLOSED


def test_it_closes_when_the_workshop_starts_or_closes():
    opened = NOW - dt.timedelta(hours=1)
    assert window_state("live", opened, LATER, NOW) == WindowState.CLOSED
    assert window_state("closed", opened, LATER, NOW) == WindowState.CLOSED


def test_the_default_closing_time_is_the_morning_of_the_workshop():
    closing = timezone.localtime(default_closing(dt.date(2026, 9, 1)))
    assert (closing.date(), closing.hour, closing.minute) == (dt.date(2026, 9, 1), 9, 0)


def test_it_rejects_a_note_over_the_limit_and_accepts_one_at_it():
    assert note_error("x" * EVIDENCE_MAX) is None
    error = note_error("x" * (EVIDENCE_MAX + 1))
    assert error and "500 characters" in error


def test_browser_line_endings_do_not_count_twice():
    assert clean_note("  a\r\nb\rc  ") == "a\nb\nc"
    assert note_error(clean_note("ab\r\n" * 125)) is None  # 500 typed characters, 625 sent


def test_how_reached_when_the_pre_ratings_agreed():
    assert how_reached_words(18, False, None, True) == "pre-rated by 18, agreed without a live vote"


def test_how_reached_after_a_split_and_a_live_round():
    assert how_reached_words(18, True, 24, True) == "pre-rated by 18, split; agreed after a live round of 24"


def test_how_reached_after_a_live_round_without_a_split():
    assert how_reached_words(5, False, 9, True) == "pre-rated by 5, agreed after a live round of 9"


def test_how_reached_before_the_level_is_agreed():
    assert how_reached_words(3, True, None, False) == "pre-rated by 3, split"
