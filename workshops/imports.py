"""Import and export of agreed ratings as CSV, for workshops held on paper before the app.

The file is checked completely before anything is written: every problem is reported as
`line N: column X: reason` and a file with any problem writes nothing. Importing the same file
again changes nothing. The checks are pure functions (`parse_ratings_csv`, `resolve_areas`,
`plan_import`); `ratings_import` reads what they need from the database and applies the plan.

Format (one row per area and phase):
    area,code,phase,date,C1,A1,S,C2,A2,D,E
`code` (the area's code) and `date` (YYYY-MM-DD) are optional columns; the rest are required,
one column per domain code of the framework, holding the agreed level.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from .spreadsheet import as_text_cell, from_text_cell

MAX_FILE_BYTES = 5 * 1024 * 1024
BASE_COLUMNS = ("area", "code", "phase", "date")
REQUIRED_COLUMNS = ("area", "phase")
MAX_AREA_NAME, MAX_AREA_CODE = 200, 30  # Area.name and Area.code
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
            elif not re.fullmatch(r"-?\d+", raw):
                row_errors.append(_err(line, domain_code, f'"{raw}" is not a level ({scale})'))
            elif len(raw) > 9 or not 0 <= int(raw) <= top:  # int() refuses 4300+ digits
                row_errors.append(_err(line, domain_code, f"level {raw} out of range ({scale})"))
            else:
                levels[domain_code] = int(raw)
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


# --- Matching areas ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownArea:
    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class AreaRef:
    """The area a row belongs to: an existing one (pk) or one to create (code, name)."""

    pk: int | None
    code: str
    name: str


def new_area_code(name: str, taken: set[str]) -> str:
    """A code for an area created from its name alone: NORTH-SHIRE, then NORTH-SHIRE-2, …"""
    base = "-".join(re.findall(r"[A-Z0-9]+", name.upper()))[:26] or "AREA"
    code, n = base, 1
    while code.casefold() in taken:
        n += 1
        code = f"{base}-{n}"
    return code


def resolve_areas(
    rows: Sequence[ImportRow], known: Sequence[KnownArea]
) -> tuple[dict[int, AreaRef], list[str]]:
    """Match each row's area by code or name (case-insensitive); unknown areas are created.

    Returns the area per line number, and the problems (an ambiguous name, a code that
    belongs to an area of another name, duplicates only visible once matched)."""
    by_code = {a.code.casefold(): a for a in known}
    by_name: dict[str, list[KnownArea]] = {}
    for a in known:
        by_name.setdefault(a.name.casefold(), []).append(a)
    # Codes the file gives explicitly are reserved, so a code made up from a name never takes one.
    taken = set(by_code) | {row.code.casefold() for row in rows if row.code}
    new_by_code: dict[str, tuple[AreaRef, int]] = {}
    new_by_name: dict[str, AreaRef] = {}
    refs: dict[int, AreaRef] = {}
    errors: list[str] = []
    seen_phase: dict[tuple[str, int], int] = {}

    for row in rows:
        ref: AreaRef | None = None
        if row.code:
            found = by_code.get(row.code.casefold())
            if found:
                if row.area and row.area.casefold() not in (found.name.casefold(), found.code.casefold()):
                    errors.append(
                        _err(row.line, "area", f'area {found.code} is "{found.name}", not "{row.area}"')
                    )
                    continue
                ref = AreaRef(found.pk, found.code, found.name)
            else:
                same_name = by_name.get(row.area.casefold()) if row.area else None
                if same_name:
                    errors.append(
                        _err(
                            row.line,
                            "code",
                            f'"{row.area}" already exists with code {same_name[0].code}, not {row.code}',
                        )
                    )
                    continue
                if row.code.casefold() in new_by_code:
                    earlier, line = new_by_code[row.code.casefold()]
                    if row.area and row.area != earlier.name:
                        errors.append(
                            _err(row.line, "area", f'code {row.code} is "{earlier.name}" on line {line}')
                        )
                        continue
                    ref = earlier
                else:
                    ref = AreaRef(None, row.code, row.area or row.code)
                    new_by_code[row.code.casefold()] = (ref, row.line)
                    taken.add(row.code.casefold())
        else:
            found = by_code.get(row.area.casefold())
            matches = [found] if found else by_name.get(row.area.casefold(), [])
            if len(matches) > 1:
                errors.append(
                    _err(
                        row.line,
                        "area",
                        f'"{row.area}" matches {len(matches)} areas ('
                        + ", ".join(a.code for a in matches)
                        + "); add a code column to say which",
                    )
                )
                continue
            if matches:
                ref = AreaRef(matches[0].pk, matches[0].code, matches[0].name)
            elif row.area.casefold() in new_by_name:
                ref = new_by_name[row.area.casefold()]
            else:
                ref = AreaRef(None, new_area_code(row.area, taken), row.area)
                taken.add(ref.code.casefold())
                new_by_name[row.area.casefold()] = ref
        key = (ref.code.casefold(), row.phase)
        if key in seen_phase:
            errors.append(
                _err(
                    row.line,
                    "phase",
                    f"duplicate area and phase: {ref.name} phase {row.phase} is already on line "
                    f"{seen_phase[key]}",
                )
            )
            continue
        seen_phase[key] = row.line
        refs[row.line] = ref
    return refs, errors


# --- Planning the writes ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExistingWorkshop:
    pk: int
    is_imported: bool
    framework_id: int
    framework_name: str
    date: dt.date
    levels: dict[str, int]


@dataclass
class Plan:
    create: list[tuple[ImportRow, AreaRef]] = field(default_factory=list)
    update: list[tuple[ImportRow, ExistingWorkshop]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def plan_import(
    rows: Sequence[ImportRow],
    refs: dict[int, AreaRef],
    existing: dict[tuple[int, int], ExistingWorkshop],
    framework_id: int,
) -> Plan:
    """What each row does: create a workshop, correct an imported one, or nothing.

    A workshop run in the app is never changed by an import: a row that disagrees with it
    is an error."""
    plan = Plan()
    for row in rows:
        ref = refs[row.line]
        current = existing.get((ref.pk, row.phase)) if ref.pk is not None else None
        if current is None:
            plan.create.append((row, ref))
            continue
        if current.framework_id != framework_id:
            plan.errors.append(
                _err(
                    row.line,
                    "phase",
                    f"{ref.name} phase {row.phase} in this programme was rated with "
                    f"{current.framework_name}, not the framework of this import",
                )
            )
            continue
        same_levels = current.levels == row.levels
        if current.is_imported:
            if same_levels and (row.date is None or row.date == current.date):
                plan.unchanged += 1
            else:
                plan.update.append((row, current))
        elif same_levels:
            plan.unchanged += 1
        else:
            differences = ", ".join(
                f"{code} {current.levels.get(code, 'not agreed')} in the app, {row.levels[code]} in the file"
                for code in row.levels
                if current.levels.get(code) != row.levels[code]
            )
            plan.errors.append(
                _err(
                    row.line,
                    "-",
                    f"{ref.name} phase {row.phase} was run in the app and agreed different levels "
                    f"({differences}); an import never changes it",
                )
            )
    return plan


# --- Database side ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    programme: object
    programme_created: bool
    areas_created: int
    workshops_created: int
    workshops_updated: int
    workshops_unchanged: int

    def __str__(self) -> str:
        return (
            f"{self.workshops_created} workshop(s) created, {self.workshops_updated} updated, "
            f"{self.workshops_unchanged} unchanged; {self.areas_created} new area(s)"
            + ("; new programme" if self.programme_created else "")
        )


def framework_shape(framework) -> tuple[list, list[str], int]:
    """The framework's domains (in order), their codes and its number of levels."""
    from .models import Level

    domains = list(framework.domains.order_by("position", "pk"))
    return domains, [d.code for d in domains], Level.objects.filter(framework=framework).count()


def check_ratings_file(data: bytes, programme_name: str, framework) -> tuple[Plan, dict[int, AreaRef], list]:
    """Every check, reading the database but writing nothing; raises RatingsImportError."""
    from ratings.models import Consensus

    from .models import Area, Workshop

    problems = framework.structure_errors()
    if problems:
        raise RatingsImportError([f"line -: column -: the framework is not complete: {p}" for p in problems])
    domains, codes, n_levels = framework_shape(framework)
    name = (programme_name or "").strip()
    if not name:
        raise RatingsImportError(["line -: column -: give the programme's name"])
    if len(name) > 200:
        raise RatingsImportError(["line -: column -: the programme's name is longer than 200 characters"])
    parsed = parse_ratings_csv(data, codes, n_levels)
    errors = list(parsed.errors)
    if not parsed.rows:
        raise RatingsImportError(errors)
    known = [
        KnownArea(pk, code, area_name)
        for pk, code, area_name in Area.objects.values_list("pk", "code", "name")
    ]
    refs, area_errors = resolve_areas(parsed.rows, known)
    errors += area_errors
    code_of = {d.pk: d.code for d in domains}
    workshops = list(
        Workshop.objects.filter(programme__name=name).values_list(
            "pk", "area_id", "phase", "is_imported", "framework_id", "framework__name", "date"
        )
    )
    levels: dict[int, dict[str, int]] = {pk: {} for pk, *_rest in workshops}
    for workshop_id, domain_id, level in Consensus.objects.filter(workshop__programme__name=name).values_list(
        "workshop_id", "domain_id", "level"
    ):
        if domain_id in code_of:
            levels[workshop_id][code_of[domain_id]] = level
    existing = {
        (area_id, phase): ExistingWorkshop(pk, imported, fid, fname, date, levels[pk])
        for pk, area_id, phase, imported, fid, fname, date in workshops
    }
    plan = plan_import([row for row in parsed.rows if row.line in refs], refs, existing, framework.pk)
    errors += plan.errors
    if errors:
        raise RatingsImportError(sorted(errors, key=_line_number))
    return plan, refs, domains


def _line_number(error: str) -> int:
    """Sort key: problems in file order (whole-file problems, `line -`, first)."""
    number = error.split(":", 1)[0].removeprefix("line ")
    return int(number) if number.isdigit() else 0


def ratings_import(data: bytes, programme_name: str, framework, user=None) -> ImportSummary:
    """Check the whole file, then write it in one transaction (or raise RatingsImportError)."""
    from ratings.models import Consensus, ConsensusChange

    from .models import Area, Programme, Workshop

    plan, refs, domains = check_ratings_file(data, programme_name, framework)
    name = programme_name.strip()
    now = timezone.now()
    today = timezone.localdate()
    by_code = {d.code: d for d in domains}
    changed_by = user if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            programme, programme_created = Programme.objects.get_or_create(name=name)
            new_refs = {ref.code: ref for _row, ref in plan.create if ref.pk is None}
            created_areas = Area.objects.bulk_create(
                [Area(code=ref.code, name=ref.name) for ref in new_refs.values()]
            )
            area_pk = {a.code: a.pk for a in created_areas}
            area_pk.update({ref.code: ref.pk for _row, ref in plan.create if ref.pk is not None})
            workshops = Workshop.objects.bulk_create(
                [
                    Workshop(
                        area_id=area_pk[ref.code],
                        programme=programme,
                        framework=framework,
                        phase=row.phase,
                        title=f"{ref.name}: phase {row.phase} (imported)",
                        date=row.date or today,
                        status=Workshop.Status.CLOSED,
                        is_imported=True,
                        closed_at=now,
                        created_by=changed_by,
                    )
                    for row, ref in plan.create
                ]
            )
            new_consensus, changes = [], []
            for workshop, (row, _ref) in zip(workshops, plan.create, strict=True):
                for code, level in row.levels.items():
                    new_consensus.append(
                        Consensus(
                            workshop=workshop,
                            domain=by_code[code],
                            level=level,
                            reason=IMPORT_REASON,
                            confirmed_by=changed_by,
                        )
                    )
                    changes.append(
                        ConsensusChange(
                            workshop=workshop,
                            domain=by_code[code],
                            new_level=level,
                            reason=IMPORT_REASON,
                            changed_by=changed_by,
                        )
                    )
            for row, current in plan.update:
                if row.date is not None and row.date != current.date:
                    Workshop.objects.filter(pk=current.pk).update(date=row.date, updated_at=now)
                for code, level in row.levels.items():
                    old = current.levels.get(code)
                    if old == level:
                        continue
                    Consensus.objects.update_or_create(
                        workshop_id=current.pk,
                        domain=by_code[code],
                        defaults={"level": level, "reason": IMPORT_REASON, "confirmed_by": changed_by},
                    )
                    changes.append(
                        ConsensusChange(
                            workshop_id=current.pk,
                            domain=by_code[code],
                            old_level=old,
                            new_level=level,
                            reason=IMPORT_REASON,
                            changed_by=changed_by,
                        )
                    )
            Consensus.objects.bulk_create(new_consensus, batch_size=2000)
            ConsensusChange.objects.bulk_create(changes, batch_size=2000)
    except IntegrityError as exc:
        raise RatingsImportError(
            [f"line -: column -: the data changed while importing ({exc.__class__.__name__}); try again"]
        ) from exc
    return ImportSummary(
        programme=programme,
        programme_created=programme_created,
        areas_created=len(created_areas),
        workshops_created=len(workshops),
        workshops_updated=len(plan.update),
        workshops_unchanged=plan.unchanged,
    )


# --- Export ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    text: str
    rows: int
    skipped: list[str]  # workshops left out, with why


def export_framework(programme, framework=None):
    """The framework to export: the one given, else the only one the programme used."""
    from .models import Framework

    if framework is not None:
        return framework
    used = list(Framework.objects.filter(workshop__programme=programme).distinct())
    if len(used) > 1:
        raise ValueError(
            "The programme's workshops used several frameworks ("
            + ", ".join(f.name for f in used)
            + "); choose one."
        )
    return used[0] if used else Framework.get_default()


def ratings_export(programme, framework=None) -> Export:
    """The programme's agreed ratings in the import format (with the area code, so areas come
    back with the same code and name). Workshops without a complete set of agreed levels are
    left out and listed in `skipped`."""
    from ratings.models import Consensus

    from .models import Workshop

    framework = export_framework(programme, framework)
    domains, codes, _n = framework_shape(framework)
    code_of = {d.pk: d.code for d in domains}
    levels: dict[int, dict[str, int]] = {}
    for workshop_id, domain_id, level in Consensus.objects.filter(workshop__programme=programme).values_list(
        "workshop_id", "domain_id", "level"
    ):
        if domain_id in code_of:
            levels.setdefault(workshop_id, {})[code_of[domain_id]] = level
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["area", "code", "phase", "date", *codes])
    skipped, n = [], 0
    for pk, area_name, area_code, phase, date, fid, title in (
        Workshop.objects.filter(programme=programme)
        .order_by("area__name", "area__code", "phase")
        .values_list("pk", "area__name", "area__code", "phase", "date", "framework_id", "title")
    ):
        agreed = levels.get(pk, {})
        if fid != framework.pk:
            skipped.append(f"{title}: rated with another framework")
        elif len(agreed) != len(codes):
            skipped.append(f"{title}: {len(agreed)} of {len(codes)} domains agreed")
        else:
            writer.writerow(
                [as_text_cell(area_name), as_text_cell(area_code), phase, date.isoformat()]
                + [agreed[c] for c in codes]
            )
            n += 1
    return Export(out.getvalue(), n, skipped)
