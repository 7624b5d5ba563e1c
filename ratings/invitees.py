"""Invitees as typed or uploaded, and the workshop's calendar file: pure functions.

Input is one invitee a line, `name, email, sector` (pasted lines or a CSV file; a header line
is skipped). Any bad line refuses the whole list, each error naming its line, so a facilitator
fixes the file and sends it again; nothing is half-imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .invitation_models import INVITEE_NAME_MAX
from .models import Sector

MAX_INVITEES = 500
MAX_TEXT = 100_000  # characters of pasted text or CSV


@dataclass(frozen=True)
class Invitee:
    line: int
    name: str
    email: str
    sector: str


def sector_value(raw: str) -> str | None:
    """'school', 'School or college', 'NHS', 'la'... -> the sector's value, else None."""
    key = raw.strip().lower()
    for value, label in Sector.choices:
        if key in (value, label.lower()):
            return value
    return None


def _is_header(cells: list[str]) -> bool:
    return [c.strip().lower() for c in cells[:3]] == ["name", "email", "sector"]


def parse_invitees(text: str) -> tuple[list[Invitee], list[str]]:
    """(invitees, errors): errors name the line; with any error, use none of the invitees."""
    if len(text) > MAX_TEXT:
        return [], [f"The list is too long ({len(text)} characters; at most {MAX_TEXT})."]
    invitees: list[Invitee] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    sectors = ", ".join(value for value, _ in Sector.choices)
    for number, cells in enumerate(csv.reader(io.StringIO(text.replace("\r\n", "\n"))), start=1):
        if not any(c.strip() for c in cells) or (number == 1 and _is_header(cells)):
            continue
        if len(cells) != 3:
            errors.append(f"Line {number}: expected name, email, sector (3 values), found {len(cells)}.")
            continue
        name, email, sector_raw = (c.strip() for c in cells)
        email = email.lower()
        if len(name) > INVITEE_NAME_MAX:
            errors.append(f"Line {number}: the name is longer than {INVITEE_NAME_MAX} characters.")
        try:
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            errors.append(f"Line {number}: “{email[:60]}” is not an email address.")
            continue
        sector = sector_value(sector_raw)
        if sector is None:
            errors.append(f"Line {number}: unknown sector “{sector_raw[:40]}” (use one of {sectors}).")
            continue
        if email in seen:
            errors.append(f"Line {number}: {email} is already on line {seen[email]}.")
            continue
        seen[email] = number
        invitees.append(Invitee(number, name, email, sector))
    if len(invitees) > MAX_INVITEES:
        errors.append(f"At most {MAX_INVITEES} invitees at a time ({len(invitees)} given).")
    if not invitees and not errors:
        errors.append("No invitees: give one a line, as name, email, sector.")
    return invitees, errors


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def workshop_ics(*, uid: str, title: str, venue: str, day: dt.date, stamp: dt.datetime, url: str) -> str:
    """An all-day calendar event (RFC 5545) for the workshop day; CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CASCADE Workshops//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_ics_text(title)[:200]}",
        f"LOCATION:{_ics_text(venue)[:200]}" if venue else "",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(line for line in lines if line) + "\r\n"
