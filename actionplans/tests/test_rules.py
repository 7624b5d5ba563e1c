"""The pure action-plan rules (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from actionplans.rules import (
    MAX_PRIORITIES,
    can_edit_plan,
    carried_forward,
    change_in_words,
    change_sign,
    changed_fields,
    csv_cell,
    is_overdue,
    normalise_text,
    plan_filename,
    priority_limit_error,
    read_only_reason,
    too_many_priorities_error,
)


@pytest.mark.parametrize(
    "superuser, facilitator, lead, status, expected",
    [
        (False, True, False, "draft", True),
        (False, True, False, "live", True),
        (False, True, False, "closed", True),
        (False, False, True, "draft", False),
        (False, False, True, "live", False),
        (False, False, True, "closed", True),
        (True, False, False, "live", True),
        (False, False, False, "closed", False),
    ],
)
def test_who_may_edit(superuser, facilitator, lead, status, expected):
    assert (
        can_edit_plan(is_superuser=superuser, is_facilitator=facilitator, is_area_lead=lead, status=status)
        is expected
    )


def test_read_only_reason_tells_a_lead_to_wait_for_the_close():
    assert "once the workshop is closed" in read_only_reason(is_area_lead=True, status="live")
    assert "facilitators" in read_only_reason(is_area_lead=False, status="closed")


def test_the_priority_limit_allows_three_and_names_the_others():
    assert MAX_PRIORITIES == 3
    assert priority_limit_error([], "C1") is None
    assert priority_limit_error(["C1", "S"], "E") is None
    assert priority_limit_error(["C1", "S", "E"], "E") is None  # re-saving one already chosen
    message = priority_limit_error(["C1", "S", "E"], "D")
    assert message is not None and "C1, S, E" in message and "3" in message


def test_too_many_priorities_names_what_was_ticked_not_what_already_is():
    assert too_many_priorities_error(["C1", "S", "E"]) is None
    message = too_many_priorities_error(["A1", "C2", "D", "E"])
    assert message == (
        "At most 3 domains can be priorities for change; you ticked 4: A1, C2, D, E. Untick 1 of them."
    )


def test_text_keeps_line_breaks_and_markup():
    assert normalise_text("a\r\nb\rc  \n\n") == "a\nb\nc"
    assert normalise_text("  <b>x</b>") == "  <b>x</b>"


def test_changed_fields_lists_only_changes_in_plain_values():
    before = {"note": "a", "due_date": dt.date(2026, 1, 2), "status": "done"}
    after = {"note": "b", "due_date": dt.date(2026, 1, 3), "status": "done"}
    assert changed_fields(before, after) == {"note": ["a", "b"], "due_date": ["2026-01-02", "2026-01-03"]}


def test_overdue_is_open_and_past_due():
    today = dt.date(2026, 11, 22)
    assert is_overdue("not_started", dt.date(2026, 11, 21), today)
    assert is_overdue("in_progress", dt.date(2026, 1, 1), today)
    assert not is_overdue("done", dt.date(2026, 1, 1), today)
    assert not is_overdue("not_started", today, today)
    assert not is_overdue("not_started", None, today)


def test_open_items_carry_forward():
    assert carried_forward("in_progress") and carried_forward("not_started")
    assert not carried_forward("done") and not carried_forward("dropped")


def test_plan_filename_is_safe_whatever_the_area_code():
    assert plan_filename("NSH", dt.date(2026, 9, 15)) == "cascade-action-plan-NSH-2026-09-15.pdf"
    name = plan_filename("../../etc/passwd", dt.date(2026, 9, 15))
    assert "/" not in name and ".." not in name
    assert plan_filename("", dt.date(2026, 9, 15)) == "cascade-action-plan-area-2026-09-15.pdf"


@pytest.mark.parametrize("typed", ["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)"])
def test_csv_cells_never_start_a_formula(typed):
    assert csv_cell(typed) == "'" + typed


def test_csv_cells_leave_plain_text_alone():
    assert csv_cell("Siân Roberts") == "Siân Roberts" and csv_cell(None) == ""


def test_change_words():
    assert [change_in_words(c) for c in (None, 0, 2, -1)] == ["", "no change", "+2", "−1"]
    assert [change_sign(c) for c in (None, 0, 2, -1)] == ["", "0", "+2", "−1"]
