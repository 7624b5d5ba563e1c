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

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from .area_matching import AreaRef, KnownArea, resolve_areas
from .parsing import IMPORT_REASON, ImportRow, RatingsImportError, _err, imported_title, parse_ratings_csv
from .programmes import look_alike, look_alike_message


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
    from workshops.models import Level

    domains = list(framework.domains.order_by("position", "pk"))
    return domains, [d.code for d in domains], Level.objects.filter(framework=framework).count()


def check_ratings_file(data: bytes, programme_name: str, framework) -> tuple[Plan, dict[int, AreaRef], list]:
    """Every check, reading the database but writing nothing; raises RatingsImportError."""
    from ratings.models import Consensus
    from workshops.models import Area, Workshop

    problems = framework.structure_errors()
    if problems:
        raise RatingsImportError([f"line -: column -: the framework is not complete: {p}" for p in problems])
    domains, codes, n_levels = framework_shape(framework)
    name = (programme_name or "").strip()
    if not name:
        raise RatingsImportError(["line -: column -: give the programme's name"])
    if len(name) > 200:
        raise RatingsImportError(["line -: column -: the programme's name is longer than 200 characters"])
    from workshops.models import Programme

    confused_with = look_alike(name, list(Programme.objects.values_list("name", flat=True)))
    if confused_with:
        raise RatingsImportError([f"line -: column -: {look_alike_message(confused_with)}"])
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
    from workshops.models import Area, Programme, Workshop

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
                        title=imported_title(ref.name, row.phase),
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
