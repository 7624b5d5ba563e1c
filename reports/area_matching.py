"""Matching the rows of a ratings file to known areas, or naming the areas to create (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .parsing import ImportRow, _err, title_problem


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
        problem = title_problem(ref.name, row.phase)  # an existing area's name may be long
        if problem:
            errors.append(_err(row.line, "code" if row.code else "area", problem))
            continue
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
