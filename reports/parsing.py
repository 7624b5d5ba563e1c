"""Reading a ratings CSV file into rows, every problem as `line N: column X: reason`.

Pure functions: no database. See `reports.importer` for the whole import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workshops.middleware import MAX_FILE_BYTES
from workshops.spreadsheet import from_text_cell

BASE_COLUMNS = ("area", "code", "phase", "date")
REQUIRED_COLUMNS = ("area", "phase")
MAX_AREA_NAME, MAX_AREA_CODE = 200, 30  # Area.name and Area.code
MAX_TITLE = 200  # Workshop.title, composed as "<area name>: phase N (imported)"
# Far above any real programme (England had ~200 CCGs, each with a few phases: ~1,000 rows), and small enough
# that the whole import stays well inside a 30 s worker timeout (bench/import_rows.py).
MAX_ROWS = 2_000
LEVEL_RE = re.compile(r"-?[0-9]+")  # ASCII digits only: \d also takes "١" (Arabic-Indic one)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
IMPORT_REASON = "Imported from a ratings file."


class RatingsImportError(Exception):
    """The file cannot be imported; `errors` lists every problem, one per line."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s); nothing was imported")
        self.errors = errors


def _err(line: int, column: str, reason: str) -> str:
    return f"line {line}: column {column}: {reason}"


@dataclass(frozen=True)
class ImportRow:
    line: int
    area: str
    code: str
    phase: int
    date: dt.date | None
    levels: dict[str, int]


@dataclass
class Parsed:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def imported_title(area_name: str, phase: int) -> str:
    """The title of a workshop an import creates."""
    return f"{area_name}: phase {phase} (imported)"


def title_problem(area_name: str, phase: int) -> str | None:
    """Why `imported_title` would not fit Workshop.title, or None."""
    title = imported_title(area_name, phase)
    if len(title) <= MAX_TITLE:
        return None
    room = MAX_TITLE - len(imported_title("", phase))
    short = imported_title(area_name[:20] + "…", phase)
    return (
        f"the workshop title “{short}” would be longer than {MAX_TITLE} characters; "
        f"shorten the area name to at most {room} characters"
    )


def expected_header(domain_codes: Sequence[str]) -> str:
    return ",".join(["area", "phase", "date", *domain_codes])


def parse_ratings_csv(data: bytes, domain_codes: Sequence[str], n_levels: int) -> Parsed:
    """Read and check the file on its own (no database): header, cells, duplicates by name.

    `rows` holds the sound rows (none if the header is wrong); `errors` every problem."""
    result = Parsed()
    top = n_levels - 1
    scale = f"0 to {top}"
    if len(data) > MAX_FILE_BYTES:
        result.errors.append(_err(1, "-", f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"))
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        result.errors.append(
            _err(line, "-", 'wrong encoding: the file is not UTF-8 text (in Excel, save as "CSV UTF-8")')
        )
        return result
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        result.errors.append(_err(line, "-", "wrong encoding: this is a binary file, not CSV text"))
        return result
    if not text.strip():
        result.errors.append(
            _err(1, "-", f"the file is empty; expected a header row: {expected_header(domain_codes)}")
        )
        return result

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        result.errors.append(_err(reader.line_num or 1, "-", f"not readable as CSV ({exc})"))
        return result
    canonical = {c.casefold(): c for c in BASE_COLUMNS}
    canonical.update({code.casefold(): code for code in domain_codes})
    columns: list[str | None] = []  # canonical name per position, None for unknown
    seen: set[str] = set()
    allowed = ", ".join(["area", "code", "phase", "date", *domain_codes])
    for raw in header:
        name = canonical.get(raw.strip().casefold())
        if name is None:
            result.errors.append(_err(1, raw.strip() or "(blank)", f"unknown column (expected {allowed})"))
        elif name in seen:
            result.errors.append(_err(1, name, "the column appears twice"))
            name = None
        else:
            seen.add(name)
        columns.append(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            result.errors.append(_err(1, name, "missing column"))
    for code in domain_codes:
        if code not in seen:
            result.errors.append(_err(1, code, "missing domain column"))

    # Rows are matched to areas and workshops only under a sound header.
    header_ok = not result.errors
    first_line: dict[tuple[str, str, int], int] = {}
    n_rows = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.errors.append(_err(reader.line_num, "-", f"not readable as CSV ({exc})"))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and rows of empty cells (spreadsheets add them)
        n_rows += 1
        if n_rows > MAX_ROWS:
            result.errors.append(
                _err(
                    line,
                    "-",
                    f"the file has more than {MAX_ROWS:,} ratings rows; "
                    "split it into files of at most that many",
                )
            )
            result.rows = []
            break
        if len(cells) != len(header):
            result.errors.append(
                _err(line, "-", f"{len(cells)} values, expected {len(header)} (one per column)")
            )
            continue
        values = {name: cell.strip() for name, cell in zip(columns, cells, strict=True) if name}
        row_errors: list[str] = []
        area = from_text_cell(values.get("area", ""))  # as exported: '=… back to =…
        code = from_text_cell(values.get("code", ""))
        if "area" in seen and not area and not code:
            row_errors.append(_err(line, "area", "missing area"))
        if len(area) > MAX_AREA_NAME:
            row_errors.append(_err(line, "area", f"longer than {MAX_AREA_NAME} characters"))
        if len(code) > MAX_AREA_CODE:
            row_errors.append(_err(line, "code", f"longer than {MAX_AREA_CODE} characters"))
        phase = None
        if "phase" in seen:
            raw = values.get("phase", "")
            # ASCII digits only ("²".isdigit() is true but int() refuses it), and few of them.
            if raw.isascii() and raw.isdigit() and len(raw) <= 5 and 1 <= int(raw) <= 32767:
                phase = int(raw)
            else:
                row_errors.append(
                    _err(line, "phase", f'"{raw}" is not a phase (a whole number, 1 for the baseline)')
                )
        date = None
        raw_date = values.get("date", "")
        if raw_date:
            try:
                if not DATE_RE.match(raw_date):
                    raise ValueError
                date = dt.date.fromisoformat(raw_date)
            except ValueError:
                row_errors.append(_err(line, "date", f'bad date "{raw_date}" (use YYYY-MM-DD)'))
        levels: dict[str, int] = {}
        for domain_code in domain_codes:
            if domain_code not in seen:
                continue
            raw = values.get(domain_code, "")
            if raw == "":
                row_errors.append(_err(line, domain_code, f"missing level ({scale})"))
            elif not LEVEL_RE.fullmatch(raw):
                row_errors.append(_err(line, domain_code, f'"{raw}" is not a level ({scale})'))
            elif len(raw) > 9 or not 0 <= int(raw) <= top:  # int() refuses 4300+ digits
                row_errors.append(_err(line, domain_code, f"level {raw} out of range ({scale})"))
            else:
                levels[domain_code] = int(raw)
        if phase is not None and len(area) <= MAX_AREA_NAME and len(code) <= MAX_AREA_CODE:
            problem = title_problem(area or code, phase)
            if problem:
                row_errors.append(_err(line, "area" if area else "code", problem))
        if phase is not None and (area or code):
            key = ("code", code.casefold(), phase) if code else ("area", area.casefold(), phase)
            if key in first_line:
                row_errors.append(
                    _err(
                        line,
                        "phase",
                        f"duplicate area and phase: {code or area} phase {phase} is already on line "
                        f"{first_line[key]}",
                    )
                )
            else:
                first_line[key] = line
        if row_errors:
            result.errors.extend(row_errors)
        elif header_ok:
            result.rows.append(ImportRow(line, area, code, phase, date, levels))
    if n_rows == 0 and not result.errors:
        result.errors.append(_err(2, "-", "the file has a header but no ratings"))
    return result
