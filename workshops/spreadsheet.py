"""CSV cells that spreadsheets open as text, and back again (pure functions).

A cell starting with = + - @ (or a tab or carriage return) runs as a formula when a CSV file
is opened in Excel or LibreOffice: an area named `=HYPERLINK(...)` would become a live link.
Text cells like that are written with a leading apostrophe, as the action items export does;
the ratings import takes the apostrophe off again, so export then import changes nothing.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value: object) -> object:
    """The value for a CSV cell: text that would start a formula gets a leading '.

    Numbers pass unchanged, so a negative change stays a number.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_text_cell(text: str) -> str:
    """Undo `as_text_cell` for a cell read back from one of our CSV files."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
