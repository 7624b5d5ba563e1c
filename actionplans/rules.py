"""Action-plan business rules as pure functions (no database), so they are tested on their own."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence

from workshops.spreadsheet import as_text_cell

MAX_PRIORITIES = 3
OPEN_STATUSES = ("not_started", "in_progress")
CLOSED_STATUSES = ("done", "dropped")
MAX_TEXT = 20_000  # characters per free-text field: a generous page or two, not a novel

# The fields a plan edit and an action item's edit compare (forms) and record (services).
PLAN_FIELDS = ("working_well", "challenges", "next_steps", "is_priority")
ITEM_FIELDS = (
    "description",
    "owner_name",
    "owner_organisation",
    "owner_email",
    "due_date",
    "status",
    "note",
)


def can_edit_plan(*, is_superuser: bool, is_facilitator: bool, is_area_lead: bool, status: str) -> bool:
    """Facilitators (and admins) edit any time; the area's CCG leads once the workshop is closed."""
    if is_superuser or is_facilitator:
        return True
    return is_area_lead and status == "closed"


def can_review_items(*, is_superuser: bool, can_edit_follow_up: bool, is_assigned_to_area: bool) -> bool:
    """The follow-up review changes an earlier workshop's record: it needs edit rights on the
    follow-up AND an assignment to its area (facilitator or CCG lead of it); admins always."""
    return is_superuser or (can_edit_follow_up and is_assigned_to_area)


REVIEW_NOT_ASSIGNED = "Only people assigned to this area can review its earlier actions."


def read_only_reason(*, is_area_lead: bool, status: str) -> str:
    """Why someone who may see a plan cannot edit it, in words for the page."""
    if is_area_lead and status != "closed":
        return "CCG leads can edit the action plan once the workshop is closed."
    return "Only the workshop's facilitators and its area's CCG leads can edit the action plan."


def priority_limit_error(current: Iterable[str], adding: str) -> str | None:
    """The message when marking `adding` as a priority would exceed the limit, else None."""
    others = [code for code in current if code != adding]
    if len(others) < MAX_PRIORITIES:
        return None
    return (
        f"At most {MAX_PRIORITIES} domains can be priorities for change; "
        f"{', '.join(others)} already are. Untick one of them first."
    )


def too_many_priorities_error(chosen: Sequence[str]) -> str | None:
    """The message when the ticked domains are more than the limit, naming what was ticked."""
    if len(chosen) <= MAX_PRIORITIES:
        return None
    extra = len(chosen) - MAX_PRIORITIES
    return (
        f"At most {MAX_PRIORITIES} domains can be priorities for change; "
        f"you ticked {len(chosen)}: {', '.join(chosen)}. Untick {extra} of them."
    )


def normalise_text(text: str) -> str:
    """Free text as typed, with Windows/Mac line endings made plain and trailing blanks trimmed.

    Nothing is stripped or interpreted: markup stays literal text and is escaped on output.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def changed_fields(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list]:
    """{field: [before, after]} for the fields whose value changed (for the audit trail)."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in after
        if before.get(key) != after.get(key)
    }


def _plain(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def is_overdue(status: str, due: dt.date | None, today: dt.date) -> bool:
    """Open and past its due date."""
    return due is not None and status in OPEN_STATUSES and due < today


def carried_forward(status: str) -> bool:
    """An item reviewed as still open is reviewed again at the next follow-up."""
    return status in OPEN_STATUSES


def plan_filename(area_code: str, date: dt.date) -> str:
    """cascade-action-plan-<area-code>-<date>.pdf, safe as a file name whatever the area code."""
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", area_code).strip("-") or "area"
    return f"cascade-action-plan-{code}-{date.isoformat()}.pdf"


def csv_cell(value: object) -> str:
    """A CSV cell that spreadsheets show as text: no formula runs from a typed '=…'."""
    return as_text_cell("" if value is None else str(value))


def change_sign(change: int | None) -> str:
    """'+1', '−2', '0' or '' when unknown, for narrow table cells."""
    if change is None:
        return ""
    return "0" if change == 0 else change_in_words(change)


def change_in_words(change: int | None) -> str:
    """'+1', '−2', 'no change' or '' when unknown (a true minus sign, as printed)."""
    if change is None:
        return ""
    if change == 0:
        return "no change"
    return f"+{change}" if change > 0 else f"−{-change}"
