"""When a programme's comparison set grows, and the figures a frozen set gives (no database).

The attack this stops (issue 21): a CCG lead notes the programme's counts and means, one more
area completes, the lead reloads and subtracts: the difference is that area's levels. So leads
and facilitators never see the current set. They see a release: the areas complete in the phase
when it was taken, frozen with the levels they had then. A new release is taken only once at
least `min_areas` areas have completed since the last one, and it keeps every earlier member
with its released levels. Any two views therefore differ by nothing, or by a whole step of at
least `min_areas` new areas whose levels arrive summed together: no view, and no difference of
views, gives one area's levels. Ranks place the viewer's own area (whose levels its lead knows)
among the release's other areas; changes compare two releases' means, so no figure rests on a
set that grows one area at a time.

Admins and the programme's leads, who may see every area on the programme report, see the
current figures instead (`ratings.benchmark.area_benchmark`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from .benchmark import Benchmark, DomainInfo, Levels, Rank, distribution, own_row, own_totals, round2


@dataclass(frozen=True)
class Release:
    """A frozen comparison set: area id -> its levels when released."""

    number: int
    released_on: dt.date
    levels: Mapping[int, Levels]

    @property
    def n(self) -> int:
        return len(self.levels)

    def covers(self, codes: Sequence[str]) -> bool:
        """Whether every member has a level for every domain (a framework may gain a domain)."""
        return all(code in levels for levels in self.levels.values() for code in codes)


def next_release(
    complete: Mapping[int, Levels], released: Mapping[int, Levels], min_areas: int
) -> dict[int, Levels] | None:
    """The members of the next release with their levels, or None while none is due.

    `complete`: the areas complete in the phase now, with their current levels; `released`: the
    latest release's members (empty before the first). Due once at least `min_areas` (and at
    least one) complete areas are not yet released; released members keep their frozen levels,
    even if their levels changed or they are no longer complete, so a release only ever adds a
    whole step of new areas.
    """
    new = {pk: dict(levels) for pk, levels in complete.items() if pk not in released}
    if len(new) < max(1, min_areas):
        return None
    return {**{pk: dict(levels) for pk, levels in released.items()}, **new}


def _reduced(sets: Sequence[Collection[int]]) -> list[tuple[int, dict[int, Fraction]]]:
    """The sets' indicator rows (area id -> 1) in reduced row echelon form, as (pivot, row)."""
    pivots: list[tuple[int, dict[int, Fraction]]] = []
    for members in sets:
        row = {pk: Fraction(1) for pk in members}
        for col, prow in pivots:
            if col in row:
                factor = row[col]
                for c, v in prow.items():
                    row[c] = row.get(c, Fraction(0)) - factor * v
                row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        col = min(row)
        row = {c: v / row[col] for c, v in row.items()}
        for i, (pcol, prow) in enumerate(pivots):
            if col in prow:
                factor = prow[col]
                merged = {c: prow.get(c, Fraction(0)) - factor * row.get(c, Fraction(0)) for c in prow | row}
                pivots[i] = (pcol, {c: v for c, v in merged.items() if v})
        pivots.append((col, row))
    return pivots


def _reveals(sets: Sequence[Collection[int]]) -> bool:
    """Whether some combination of the sets' sums is one area alone, or one area beside one
    other (the reader's own, whose levels its lead knows): a vector of at most two areas in the
    sets' span. In reduced form that is a row with at most one entry off the pivot columns, or
    two rows whose off-pivot entries are proportional."""
    pivots = _reduced(sets)
    pivot_cols = {col for col, _row in pivots}
    shapes = set()
    for _col, row in pivots:
        rest = sorted((c, v) for c, v in row.items() if c not in pivot_cols)
        if len(rest) <= 1:
            return True
        shape = tuple((c, v / rest[0][1]) for c, v in rest)
        if shape in shapes:
            return True
        shapes.add(shape)
    return False


def singles_out_an_area(
    others: Sequence[Collection[int]], members: Collection[int], own: Sequence[Collection[int]] = ()
) -> bool:
    """Whether releasing `members` would let someone who has seen the other programmes' releases
    `others` (of the same phase) and this set's own earlier releases `own` work out one area's
    levels by combining them.

    An area may be in several programmes (the same paper ratings imported into two): each
    programme's own steps are safe (their size is BENCHMARK_MIN_AREAS's business), but Q's five
    areas beside R's same five and one more give the sixth. Only other releases sharing areas
    with `members`, directly or through others, can combine with it; a combination already
    revealing before this release is not held against it.
    """
    own_sets = [set(s) for s in own]
    linked, rest, areas = [], [set(s) for s in others], set(members).union(*own_sets)
    while True:
        joined = [s for s in rest if s & areas]
        if not joined:
            break
        linked += joined
        rest = [s for s in rest if not s & areas]
        areas = areas.union(*joined)
    if not linked:
        return False
    return _reveals([*own_sets, *linked, set(members)]) and not _reveals([*own_sets, *linked])


def place_among(others: Sequence[int], mine: int, n_others: int) -> Rank:
    """`mine`'s standard competition rank once inserted among `others` (the viewer knows it)."""
    return Rank(1 + sum(1 for value in others if value > mine), n_others + 1, mine in others)


def _sums(release: Release, codes: Sequence[str]) -> list[int]:
    return [sum(levels[code] for levels in release.levels.values()) for code in codes]


def _mean_difference(after_sum: int, n_after: int, before_sum: int, n_before: int) -> float | None:
    """after_sum / n_after - before_sum / n_before, rounded once (2 decimals, halves up)."""
    return round2(after_sum * n_before - before_sum * n_after, n_after * n_before)


def released_benchmark(
    programme: str,
    area_pk: int,
    area_name: str,
    phase: int,
    previous_phase: int | None,
    domains: Sequence[DomainInfo],
    n_levels: int,
    my_levels: Levels,
    my_before: Levels,
    release: Release | None,
    previous_release: Release | None,
    min_areas: int,
    short_titles: Mapping[str, str] | None = None,
) -> Benchmark:
    """The area beside the latest release of its phase; nothing programme-wide before the first.

    Counts, means and the mean total are the release's own, the same for every viewer; the
    area's ranks place its current levels among the release's other members; the mean change
    is the release's mean minus the previous phase's release's mean.
    """
    codes = [d.code for d in domains]
    if release is not None and (release.n < min_areas or not release.covers(codes)):
        release = None
    if previous_release is not None and not previous_release.covers(codes):
        previous_release = None
    change_shown = release is not None and previous_phase is not None and previous_release is not None

    members = list(release.levels.values()) if release else []
    others = [levels for pk, levels in release.levels.items() if pk != area_pk] if release else []
    sums = _sums(release, codes) if release else []
    before_sums = _sums(previous_release, codes) if change_shown else []
    rows = []
    for i, d in enumerate(domains):
        row = own_row(d, my_levels, my_before, short_titles)
        level = row.level
        if release is not None:
            column = [levels[d.code] for levels in members]
            other_column = [levels[d.code] for levels in others]
            row = replace(
                row,
                distribution=distribution(column, n_levels),
                mean=round2(sums[i], release.n),
                rank=place_among(other_column, level, len(others)) if level is not None else None,
            )
        if change_shown:
            row = replace(
                row, mean_change=_mean_difference(sums[i], release.n, before_sums[i], previous_release.n)
            )
        rows.append(row)

    total, total_change = own_totals(codes, my_levels, my_before)
    other_totals = [sum(levels[code] for code in codes) for levels in others]
    return Benchmark(
        programme=programme,
        area=area_name,
        phase=phase,
        previous_phase=previous_phase,
        min_areas=min_areas,
        n_levels=n_levels,
        n_areas=release.n if release else 0,
        n_change_areas=previous_release.n if change_shown else 0,
        domains=rows,
        total=total,
        max_total=(n_levels - 1) * len(codes),
        mean_total=round2(sum(sums), release.n) if release else None,
        total_rank=place_among(other_totals, total, len(others)) if release and total is not None else None,
        total_change=total_change,
        mean_change=_mean_difference(sum(sums), release.n, sum(before_sums), previous_release.n)
        if change_shown
        else None,
        released_on=release.released_on if release else None,
        previous_released_on=previous_release.released_on if change_shown else None,
        in_release=release is not None and area_pk in release.levels,
    )
