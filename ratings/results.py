"""Read-side results of a workshop: agreed levels, latest vote tallies and change.

Used by the live summary, the workshop page, the action-plan PDF and reports, so every
place shows the same numbers. A fixed number of queries whatever the number of votes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from workshops.models import Domain, Level, Workshop

from .consensus import VoteSummary, summarise
from .models import Consensus, HandCount, Participant, Round, Sector, Vote
from .prerating import PRE_ROUND, HowReached


@dataclass
class DomainResult:
    domain: Domain
    consensus: Consensus | None
    latest_round: Round | None = None
    summary: VoteSummary | None = None  # phone votes and hand counts of the latest round
    hand_counted: bool = False
    previous_level: int | None = None
    labels: dict[int, str] = field(default_factory=dict)
    how_reached: HowReached | None = None  # only when the domain was rated before the day
    earlier_rounds: list[tuple[int, VoteSummary]] = field(default_factory=list)  # before a re-vote

    @property
    def level(self) -> int | None:
        return self.consensus.level if self.consensus else None

    @property
    def label(self) -> str:
        return self.labels.get(self.level, "") if self.level is not None else ""

    @property
    def overridden(self) -> bool:
        """The room chose a level other than the suggestion."""
        c = self.consensus
        return bool(c and c.suggested_level is not None and c.level != c.suggested_level)

    @property
    def change(self) -> int | None:
        if self.level is None or self.previous_level is None:
            return None
        return self.level - self.previous_level


@dataclass
class WorkshopResults:
    workshop: Workshop
    domains: list[DomainResult]
    levels: list[Level]
    previous_workshop: Workshop | None

    @property
    def max_total(self) -> int:
        return len(self.domains) * max((lv.score for lv in self.levels), default=0)

    @property
    def complete(self) -> bool:
        return all(d.level is not None for d in self.domains)

    @property
    def total(self) -> int | None:
        return sum(d.level for d in self.domains) if self.complete else None

    @property
    def previous_total(self) -> int | None:
        if self.previous_workshop is None or any(d.previous_level is None for d in self.domains):
            return None
        return sum(d.previous_level for d in self.domains)

    @property
    def change(self) -> int | None:
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total


def workshop_results(workshop: Workshop) -> WorkshopResults:
    levels = list(Level.objects.filter(framework_id=workshop.framework_id))
    labels = {lv.score: lv.label for lv in levels}
    scores = [lv.score for lv in levels]
    domains = list(Domain.objects.filter(framework_id=workshop.framework_id))
    consensus = {c.domain_id: c for c in Consensus.objects.filter(workshop=workshop)}

    latest: dict[int, Round] = {}
    pre: dict[int, Round] = {}  # round 0: the ratings before the day
    earlier: dict[int, list[Round]] = defaultdict(list)  # live rounds before a re-vote
    for r in Round.objects.filter(workshop=workshop).order_by("domain_id", "number"):
        if r.domain_id in latest and latest[r.domain_id].number != PRE_ROUND:
            earlier[r.domain_id].append(latest[r.domain_id])
        latest[r.domain_id] = r
        if r.number == PRE_ROUND:
            pre[r.domain_id] = r
    round_ids = {r.pk for r in latest.values()} | {r.pk for r in pre.values()}
    round_ids |= {r.pk for rounds in earlier.values() for r in rounds}
    votes: dict[int, list[int | None]] = defaultdict(list)
    for round_id, level in Vote.objects.filter(round_id__in=round_ids).values_list("round_id", "level"):
        votes[round_id].append(level)
    hands: dict[int, list[int]] = defaultdict(list)
    for round_id, level, count in HandCount.objects.filter(round_id__in=round_ids, count__gt=0).values_list(
        "round_id", "level", "count"
    ):
        hands[round_id].extend([level] * count)

    previous = workshop.previous_workshop()
    previous_levels: dict[int, int] = {}
    if previous is not None:
        previous_levels = dict(Consensus.objects.filter(workshop=previous).values_list("domain_id", "level"))

    results = []
    for domain in domains:
        result = DomainResult(
            domain=domain,
            consensus=consensus.get(domain.pk),
            previous_level=previous_levels.get(domain.pk),
            labels=labels,
        )
        rnd = latest.get(domain.pk)
        if rnd is not None:
            result.latest_round = rnd
            ballot = votes[rnd.pk] + hands[rnd.pk]
            result.summary = summarise(
                [v for v in ballot if v is None or v in scores], workshop.agreement_share, scores
            )
            result.hand_counted = bool(hands[rnd.pk])
            result.earlier_rounds = [
                (
                    r.number,
                    summarise(
                        [v for v in votes[r.pk] + hands[r.pk] if v is None or v in scores],
                        workshop.agreement_share,
                        scores,
                    ),
                )
                for r in earlier[domain.pk]
            ]
        if domain.pk in pre and (pre[domain.pk].is_revealed or result.consensus is not None):
            # Never before the room has seen it: whether it is split would anchor people.
            result.how_reached = _how_reached(votes[pre[domain.pk].pk], rnd, result, scores)
        results.append(result)
    return WorkshopResults(workshop=workshop, domains=results, levels=levels, previous_workshop=previous)


def _how_reached(pre_votes: list[int | None], latest: Round, result: DomainResult, scores) -> HowReached:
    counted = [v for v in pre_votes if v in scores]
    live = result.summary if latest.number != PRE_ROUND else None
    return HowReached(
        pre_rated=len(pre_votes),
        pre_split=len(set(counted)) > 1,
        live_voters=(live.n + live.not_sure) if live is not None else None,
        agreed=result.consensus is not None,
    )


def participants_by_sector(workshop: Workshop) -> list[tuple[str, int]]:
    """(sector label, how many joined) in the sector choices' order, zero counts left out."""
    counts = Counter(
        dict(
            Participant.objects.filter(workshop=workshop)
            .values_list("sector")
            .annotate(n=Count("pk"))
            .values_list("sector", "n")
        )
    )
    return [(label, counts[value]) for value, label in Sector.choices if counts[value]]
