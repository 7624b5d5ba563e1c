"""The weakest-link consensus rule, as pure functions (no database).

An area is only as good as its weakest part: the suggested level is the highest
level that at least `agreement` of the voters say has been reached.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

# The agreement share is read the same way by the workshop; it stays part of this interface.
from workshops.agreement import DEFAULT_AGREEMENT, _exact, agreement_in_words  # noqa: F401


def suggest_level(votes: Iterable[int], agreement: float = DEFAULT_AGREEMENT) -> int | None:
    """Highest level L such that the share of votes at or above L is at least `agreement`.

    None when there are no votes. "Not sure" is not a vote: leave it out of `votes`.
    """
    share = _exact(agreement)
    ordered = sorted(votes, reverse=True)
    n = len(ordered)
    if n == 0:
        return None
    # Walking down from the highest vote, the first level with enough votes at or above it.
    for i, level in enumerate(ordered):
        at_or_above = i + 1
        # Ties: count every vote equal to this level.
        while at_or_above < n and ordered[at_or_above] == level:
            at_or_above += 1
        if Fraction(at_or_above, n) >= share:
            return level
    return ordered[-1]  # pragma: no cover - the loop always returns at the lowest vote


@dataclass(frozen=True)
class VoteSummary:
    counts: tuple[int, ...]  # votes per level, index = level score
    n: int
    not_sure: int
    minimum: int | None
    maximum: int | None
    median: float | None
    mean: float | None
    suggestion: int | None
    agreement: Fraction

    @property
    def needs_discussion(self) -> bool:
        """Votes span two or more levels: the room should talk before agreeing."""
        return self.n > 0 and self.maximum != self.minimum

    @property
    def spread(self) -> int:
        return 0 if self.n == 0 else self.maximum - self.minimum

    def shares(self) -> tuple[float, ...]:
        return tuple((c / self.n if self.n else 0.0) for c in self.counts)


def summarise(
    votes: Iterable[int | None],
    agreement: float | Decimal = DEFAULT_AGREEMENT,
    levels: Sequence[int] = (0, 1, 2, 3),
) -> VoteSummary:
    """Counts per level, n, min, max, median, mean, spread flag and the suggestion.

    `votes` may hold None for "not sure"; those are counted apart and never vote.
    """
    share = _exact(agreement)
    all_votes = list(votes)
    counted = [v for v in all_votes if v is not None]
    unknown = [v for v in counted if v not in levels]
    if unknown:
        raise ValueError(f"votes outside the framework's levels: {sorted(set(unknown))}")
    counts = tuple(counted.count(level) for level in levels)
    n = len(counted)
    return VoteSummary(
        counts=counts,
        n=n,
        not_sure=len(all_votes) - n,
        minimum=min(counted) if counted else None,
        maximum=max(counted) if counted else None,
        median=float(statistics.median(counted)) if counted else None,
        mean=round(statistics.fmean(counted), 2) if counted else None,
        suggestion=suggest_level(counted, share) if counted else None,
        agreement=share,
    )


def expand_counts(counts: dict[int, int]) -> list[int]:
    """Turn {level: how many} (e.g. a show of hands) into a list of votes."""
    votes: list[int] = []
    for level, count in sorted(counts.items()):
        votes.extend([level] * count)
    return votes


SMALL_GROUP = 3  # sectors with fewer voters than this are merged so no one is exposed


@dataclass(frozen=True)
class SectorTally:
    label: str
    counts: tuple[int, ...]  # votes per level, index = level score

    @property
    def n(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class SectorBreakdown:
    rows: tuple[SectorTally, ...]
    withheld: int  # votes of a merged group still too small to show


def sector_breakdown(
    ballots: Iterable[tuple[str, int | None]],
    sectors: Sequence[tuple[str, str]],
    levels: Sequence[int] = (0, 1, 2, 3),
    minimum: int = SMALL_GROUP,
    other: str = "other",
) -> SectorBreakdown:
    """Votes per level for each sector, merging sectors with fewer than `minimum` voters.

    `ballots` are (sector value, level or None for "not sure"); `sectors` the (value, label)
    choices in display order. Small sectors join `other`; if that merged group is still
    smaller than `minimum` it is withheld (its votes still count in the overall tally).
    """
    index = {level: i for i, level in enumerate(levels)}
    per_sector: dict[str, list[int]] = {value: [0] * len(levels) for value, _ in sectors}
    for sector, level in ballots:
        if level is None:
            continue
        if level not in index:
            raise ValueError(f"vote outside the framework's levels: {level}")
        per_sector.setdefault(sector, [0] * len(levels))[index[level]] += 1
    labels = dict(sectors)
    merged = [0] * len(levels)
    rows: list[SectorTally] = []
    for value, counts in per_sector.items():
        n = sum(counts)
        if n == 0:
            continue
        if value == other or n < minimum:
            merged = [a + b for a, b in zip(merged, counts, strict=True)]
        else:
            rows.append(SectorTally(labels.get(value, value), tuple(counts)))
    withheld = 0
    if sum(merged) >= minimum:
        rows.append(SectorTally(labels.get(other, "Other"), tuple(merged)))
    else:
        withheld = sum(merged)
    return SectorBreakdown(rows=tuple(rows), withheld=withheld)
