"""The pure rules of notes and dot-voting (no database)."""

from __future__ import annotations

from actionplans.notes import (
    MAX_NOTE,
    append_text,
    cards_that_fit,
    chosen_by_words,
    clean_note,
    free_slot,
    kind_error,
    rank_dots,
)

ORDER = ["C1", "A1", "S", "C2", "A2", "D", "E"]


def test_it_keeps_a_note_of_280_characters_and_refuses_281():
    assert clean_note("x" * MAX_NOTE) == ("x" * MAX_NOTE, None)
    text, error = clean_note("x" * (MAX_NOTE + 1))
    assert error and "at most 280 characters" in error and "281" in error


def test_it_refuses_an_empty_note_and_normalises_line_endings():
    assert clean_note("   \r\n ")[1] == "Write something first: the note was empty."
    assert clean_note("one\r\ntwo  ") == ("one\ntwo", None)


def test_it_keeps_markup_as_literal_text():
    assert clean_note("<b>bold</b>") == ("<b>bold</b>", None)


def test_it_rejects_an_unknown_column():
    assert kind_error("working_well") is None
    assert kind_error("gossip")


def test_the_fourth_dot_finds_no_slot():
    assert free_slot([]) == 1
    assert free_slot([1, 3]) == 2
    assert free_slot([1, 2, 3]) is None


def test_appending_keeps_what_the_box_already_says():
    assert append_text("", "New") == "New"
    assert append_text("Old\n", "New") == "Old\nNew"


def test_the_top_three_are_suggested_without_a_tie():
    rows = rank_dots({"C1": 5, "S": 4, "E": 3, "A1": 1}, ORDER)
    assert [r.code for r in rows if r.suggested] == ["C1", "S", "E"]
    assert not any(r.tied_at_cut for r in rows)


def test_a_tie_across_the_cut_is_left_for_the_facilitator():
    rows = rank_dots({"C1": 5, "S": 4, "E": 2, "D": 2, "A1": 1}, ORDER)
    assert [r.code for r in rows if r.suggested] == ["C1", "S"]
    assert sorted(r.code for r in rows if r.tied_at_cut) == ["D", "E"]
    assert {r.code: r.rank for r in rows}["E"] == 3


def test_domains_without_dots_are_never_suggested():
    rows = rank_dots({"C1": 2}, ORDER)
    assert [r.code for r in rows if r.suggested] == ["C1"]
    assert not any(r.tied_at_cut for r in rows)


def test_chosen_by_words():
    assert chosen_by_words(1) == "priorities chosen by 1 person"
    assert chosen_by_words(23) == "priorities chosen by 23 people"


def test_the_wall_shows_as_many_cards_as_fit_in_a_column():
    assert cards_that_fit([30] * 6) == 5  # two lines and padding each: 15 of 16 lines
    assert cards_that_fit([280] * 6) == 1  # a long note fills most of a column
    assert cards_that_fit([600]) == 1  # never an empty column when there are notes
    assert cards_that_fit([]) == 0
