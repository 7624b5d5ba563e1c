"""CSV cells that open as text in a spreadsheet, and back (no database)."""

from __future__ import annotations

import pytest

from workshops.spreadsheet import as_text_cell, from_text_cell


@pytest.mark.parametrize(
    "text", ["=1+1", "+44 1234", "-x", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']
)
def test_text_that_would_run_as_a_formula_gets_an_apostrophe(text):
    assert as_text_cell(text) == "'" + text
    assert from_text_cell(as_text_cell(text)) == text


@pytest.mark.parametrize("value", ["North Shire", "Ynys Môn", "", "'quoted", "1=1", -3, 2.5, None])
def test_other_values_pass_unchanged(value):
    assert as_text_cell(value) == value


def test_an_apostrophe_before_ordinary_text_is_kept_on_the_way_back():
    assert from_text_cell("'quoted") == "'quoted"
    assert from_text_cell("North Shire") == "North Shire"
