"""Programme statistics as pure functions: one area against its programme (no database).

The programme report (reports/rules.py) and the benchmark beside an area's own results
(results page, area page, action-plan PDF) read their figures from these same functions, so
the two can never disagree. They live in this app, the lowest that needs them, because the
results page (here) and the action plan (actionplans) sit below the reports app.

Privacy: a benchmark holds aggregates only (counts per level, means, "4th of 25"), never
another area's name or level, and none at all below `min_areas` compared areas. `area_benchmark`
gives the current figures, for admins and programme leads only; CCG leads and facilitators see a
frozen release (`ratings.benchmark_release`), so that differencing two views reveals no area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from .charts import Chart, grouped_bar_chart

Levels = Mapping[str, int]  # domain code -> agreed level


@dataclass(frozen=True)
class DomainInfo:
    code: str
    title: str


@dataclass(frozen=True)
class PhaseRatings:
    """One workshop of an area: the framework it used and its agreed level per domain code."""

    framework: str
    levels: dict[str, int]


@dataclass(frozen=True)
class AreaRatings:
    """An area of the programme with its workshops by phase."""

    name: str
    code: str
    phases: dict[int, PhaseRatings] = field(default_factory=dict)
    pk: int | None = None


def competition_ranks(values: Sequence[float]) -> list[int]:
    """Standard competition ranking ("1224"): the highest value ranks 1, ties share a rank and
    the next rank skips as many places as there were ties."""
    first_place: dict[float, int] = {}
    for place, value in enumerate(sorted(values, reverse=True), start=1):
        first_place.setdefault(value, place)
    return [first_place[value] for value in values]


def round2(numerator: int, denominator: int) -> float | None:
    """numerator / denominator to 2 decimals, halves rounded up (0.125 -> 0.13), as evaluators
    would by hand; None when there is nothing to divide by."""
    if denominator == 0:
        return None
    exact = Decimal(numerator) / Decimal(denominator)
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def distribution(levels: Sequence[int], n_levels: int) -> list[int]:
    """How many areas sit at each level: index i counts level i."""
    counts = [0] * n_levels
    for level in levels:
        counts[level] += 1
    return counts


def exclusion_reason(
    area: AreaRatings, phases: Sequence[int], framework: str, domain_codes: Sequence[str]
) -> str | None:
    """Why an area cannot be compared in the phases, or None when it can."""
    reasons = []
    for phase in phases:
        rated = area.phases.get(phase)
        if rated is None:
            reasons.append(f"no phase {phase} workshop")
        elif rated.framework != framework:
            reasons.append(f"phase {phase} was rated with {rated.framework}")
        else:
            missing = [code for code in domain_codes if code not in rated.levels]
            if len(missing) == len(domain_codes):
                reasons.append(f"phase {phase} has no agreed ratings yet")
            elif missing:
                reasons.append(f"phase {phase} has no agreed level for {', '.join(missing)}")
    return "; ".join(reasons) or None


def comparable(
    areas: Sequence[AreaRatings], phases: Sequence[int], framework: str, domain_codes: Sequence[str]
) -> list[AreaRatings]:
    """The areas with a complete set of agreed levels (with `framework`) in every phase."""
    return [a for a in areas if exclusion_reason(a, phases, framework, domain_codes) is None]


@dataclass(frozen=True)
class PhaseFigures:
    """The programme's figures for one phase over `n` complete areas (index = domain order)."""

    n: int
    totals: list[int]  # sum of the areas' levels per domain
    means: list[float | None]
    ranks: list[int]  # the domains ranked by their totals
    distributions: list[list[int]]  # areas per level, per domain


def phase_figures(
    areas: Sequence[AreaRatings], phase: int, domain_codes: Sequence[str], n_levels: int
) -> PhaseFigures:
    """Totals, means, distributions and domain ranks of one phase; `areas` must be complete in it."""
    n = len(areas)
    columns = [[a.phases[phase].levels[code] for a in areas] for code in domain_codes]
    totals = [sum(column) for column in columns]
    return PhaseFigures(
        n=n,
        totals=totals,
        means=[round2(total, n) for total in totals],
        ranks=competition_ranks(totals),
        distributions=[distribution(column, n_levels) for column in columns],
    )


def area_total(area: AreaRatings, phase: int, domain_codes: Sequence[str]) -> int:
    return sum(area.phases[phase].levels[code] for code in domain_codes)


# --- One area against its programme ------------------------------------------------------------


@dataclass(frozen=True)
class Rank:
    """A place such as "4th of 25"; "joint 4th of 25" when other areas share it."""

    place: int
    of: int
    joint: bool

    def __str__(self) -> str:
        return f"{'joint ' if self.joint else ''}{ordinal(self.place)} of {self.of}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_of(values: Sequence[float], index: int) -> Rank:
    """The standard competition rank of values[index] among all values."""
    return Rank(competition_ranks(values)[index], len(values), values.count(values[index]) > 1)


@dataclass(frozen=True)
class DomainBenchmark:
    code: str
    title: str
    short_title: str
    level: int | None  # this area's agreed level in the phase
    distribution: list[int] | None = None  # None: withheld (too few areas)
    mean: float | None = None
    rank: Rank | None = None  # None unless this area is complete in the phase
    change: int | None = None  # this area's change from the earlier phase
    mean_change: float | None = None


@dataclass(frozen=True)
class Benchmark:
    """This area beside its programme in one phase; at a follow-up, its change beside theirs."""

    programme: str
    area: str
    phase: int
    previous_phase: int | None
    min_areas: int
    n_levels: int
    n_areas: int  # complete in the phase, this area included if it is
    n_change_areas: int  # complete in both phases (the programme report's areas)
    domains: list[DomainBenchmark]
    total: int | None
    max_total: int
    mean_total: float | None = None
    total_rank: Rank | None = None
    total_change: int | None = None
    mean_change: float | None = None
    current: bool = False  # the current figures (area_benchmark), else a release's
    # A frozen release's figures (ratings/benchmark_release.py): when it and the previous
    # phase's release were taken, and whether this area is one of its areas.
    released_on: dt.date | None = None
    previous_released_on: dt.date | None = None
    in_release: bool = False

    @property
    def released(self) -> bool:
        return not self.current

    @property
    def shown(self) -> bool:
        return self.n_areas >= self.min_areas

    @property
    def change_shown(self) -> bool:
        return self.previous_phase is not None and self.n_change_areas >= self.min_areas

    @property
    def levels(self) -> range:
        return range(self.n_levels)

    @property
    def ranked(self) -> bool:
        return self.total_rank is not None

    def chart(self) -> Chart | None:
        """This area's agreed levels beside the programme's means, per domain (when shown)."""
        if not self.shown:
            return None
        return grouped_bar_chart(
            [d.code for d in self.domains],
            [
                (self.area, [d.level for d in self.domains]),
                (f"Programme mean ({self.n_areas} areas)", [d.mean for d in self.domains]),
            ],
            max(1, self.n_levels - 1),
            title=f"{self.area} against the mean of {self.programme}, phase {self.phase}",
        )


def own_row(
    d: DomainInfo, my_levels: Levels, my_before: Levels, short_titles: Mapping[str, str] | None
) -> DomainBenchmark:
    """The area's own level and change in one domain, before any programme figure is added."""
    level = my_levels.get(d.code)
    earlier = my_before.get(d.code)
    return DomainBenchmark(
        code=d.code,
        title=d.title,
        short_title=(short_titles or {}).get(d.code, d.title),
        level=level,
        change=level - earlier if level is not None and earlier is not None else None,
    )


def own_totals(codes: Sequence[str], my_levels: Levels, my_before: Levels) -> tuple[int | None, int | None]:
    """The area's total out of the maximum (once every domain is agreed) and its change."""
    complete = all(code in my_levels for code in codes)
    total = sum(my_levels[code] for code in codes) if complete else None
    complete_before = complete and all(code in my_before for code in codes)
    total_change = total - sum(my_before[code] for code in codes) if complete_before else None
    return total, total_change


def area_benchmark(
    programme: str,
    area_code: str,
    phase: int,
    previous_phase: int | None,
    framework: str,
    domains: Sequence[DomainInfo],
    n_levels: int,
    areas: Sequence[AreaRatings],
    min_areas: int,
    short_titles: dict[str, str] | None = None,
) -> Benchmark:
    """The area `area_code` against the other areas of `areas` (one programme).

    Levels are compared among the areas complete in `phase`; changes among the areas complete
    in both phases, exactly the programme report's areas. Below `min_areas` areas the figures
    are left out (None), not just hidden, so no template can show them.
    """
    codes = [d.code for d in domains]
    me = next((a for a in areas if a.code == area_code), None)
    mine = me.phases.get(phase) if me else None
    my_levels = mine.levels if mine and mine.framework == framework else {}
    before = me.phases.get(previous_phase) if me and previous_phase is not None else None
    my_before = before.levels if before and before.framework == framework else {}

    cohort = comparable(areas, (phase,), framework, codes)
    figures = phase_figures(cohort, phase, codes, n_levels)
    shown = figures.n >= min_areas
    me_index = next((i for i, a in enumerate(cohort) if a.code == area_code), None)
    totals = [area_total(a, phase, codes) for a in cohort]

    change_cohort: list[AreaRatings] = []
    if previous_phase is not None:
        change_cohort = comparable(areas, (previous_phase, phase), framework, codes)
    n_change = len(change_cohort)
    change_shown = previous_phase is not None and n_change >= min_areas
    before_figures = phase_figures(change_cohort, previous_phase, codes, n_levels) if change_shown else None
    after_figures = phase_figures(change_cohort, phase, codes, n_levels) if change_shown else None

    rows = []
    for i, d in enumerate(domains):
        row = own_row(d, my_levels, my_before, short_titles)
        if shown:
            column = [a.phases[phase].levels[d.code] for a in cohort]
            row = replace(
                row,
                distribution=figures.distributions[i],
                mean=figures.means[i],
                rank=rank_of(column, me_index) if me_index is not None else None,
            )
        if before_figures and after_figures:
            domain_change = after_figures.totals[i] - before_figures.totals[i]
            row = replace(row, mean_change=round2(domain_change, n_change))
        rows.append(row)

    # The programme report's mean change: the areas' total changes over the same areas.
    area_changes = [area_total(a, phase, codes) - area_total(a, previous_phase, codes) for a in change_cohort]
    total, total_change = own_totals(codes, my_levels, my_before)
    return Benchmark(
        programme=programme,
        area=me.name if me else "",
        phase=phase,
        previous_phase=previous_phase,
        min_areas=min_areas,
        n_levels=n_levels,
        n_areas=figures.n,
        n_change_areas=n_change,
        domains=rows,
        total=total,
        max_total=(n_levels - 1) * len(codes),
        mean_total=round2(sum(totals), figures.n) if shown else None,
        total_rank=rank_of(totals, me_index) if shown and me_index is not None else None,
        total_change=total_change,
        mean_change=round2(sum(area_changes), n_change) if change_shown else None,
        current=True,
    )


# --- Each phone against its room --------------------------------------------------------------


def own_vote_words(own: int | None, voted: bool, counts: Sequence[int], suggestion: int | None) -> str:
    """What a phone shows privately after a reveal: its own vote beside the room's result.

    Only figures the projector already shows (votes per level, the suggestion): "You said 2;
    the suggestion is 1: 8 of 10 say 1 or above, 3 of 10 say 2 or above". `counts` are the
    counted votes per level (index = level), as on the projector; "not sure" is not counted.
    """
    n = sum(counts)
    if not voted:
        said = "You did not vote"
    elif own is None:
        said = "You said not sure"
    else:
        said = f"You said {own}"
    if suggestion is None or n == 0:
        return f"{said}; no level was suggested: nobody chose a level."
    parts = [_at_or_above(counts, suggestion, n)]
    if own is not None and own != suggestion:
        parts.append(_at_or_above(counts, own, n))
    return f"{said}; the suggestion is {suggestion}: {', '.join(parts)}."


def _at_or_above(counts: Sequence[int], level: int, n: int) -> str:
    return f"{sum(counts[level:])} of {n} say {level} or above"
