"""Read side of rating before the day: the phone's screens, the facilitator's counts and
the evidence cards. A fixed number of queries whatever the number of participants."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q

from workshops.models import Descriptor, Domain, Level, Workshop

from .live import Option
from .models import EvidenceNote, Participant, Round, Sector, Vote
from .prerating import PRE_ROUND, workshop_window


@dataclass
class DomainLine:
    """One domain on a participant's overview: their own answer only."""

    position: int
    domain: Domain
    rated: bool = False
    level: int | None = None
    label: str = ""
    note: str = ""


@dataclass
class Progress:
    participant: Participant
    workshop: Workshop
    window: str
    lines: list[DomainLine] = field(default_factory=list)

    @property
    def rated(self) -> int:
        return sum(1 for line in self.lines if line.rated)

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def next_unrated(self) -> DomainLine | None:
        return next((line for line in self.lines if not line.rated), None)


def participant_progress(participant: Participant) -> Progress:
    """This participant's own pre-ratings, domain by domain (never anyone else's): 4 queries."""
    workshop = participant.workshop
    domains = list(Domain.objects.filter(framework_id=workshop.framework_id))
    labels = dict(Level.objects.filter(framework_id=workshop.framework_id).values_list("score", "label"))
    mine = dict(
        Vote.objects.filter(
            participant=participant, round__workshop_id=workshop.pk, round__number=PRE_ROUND
        ).values_list("round__domain_id", "level")
    )
    notes = dict(
        EvidenceNote.objects.filter(participant=participant, round__number=PRE_ROUND).values_list(
            "round__domain_id", "text"
        )
    )
    progress = Progress(participant=participant, workshop=workshop, window=workshop_window(workshop))
    for i, domain in enumerate(domains, start=1):
        line = DomainLine(position=i, domain=domain)
        if domain.pk in mine:
            line.rated, line.level = True, mine[domain.pk]
            line.label = "Not sure" if line.level is None else f"{line.level} {labels.get(line.level, '')}"
            line.note = notes.get(domain.pk, "")
        progress.lines.append(line)
    return progress


def domain_options(domain: Domain) -> list[Option]:
    """The four descriptors of a domain, in level order (one query)."""
    descriptors = Descriptor.objects.filter(domain=domain).select_related("level")
    return [Option(d.level.score, d.level.label, d.text) for d in descriptors]


@dataclass
class WindowCounts:
    """What the facilitator may see before the day: how many, never what they said."""

    joined: int
    pre_rated: int
    by_sector: list[tuple[str, int]]
    per_domain: list[tuple[Domain, int]]


def window_counts(workshop: Workshop) -> WindowCounts:
    """Participants who pre-rated (by sector) and pre-ratings per domain: 3 queries."""
    domains = list(Domain.objects.filter(framework_id=workshop.framework_id))
    per_domain = dict(
        Round.objects.filter(workshop=workshop, number=PRE_ROUND)
        .annotate(n=Count("votes"))
        .values_list("domain_id", "n")
    )
    sectors = Counter()
    joined = 0
    rows = (
        Participant.objects.filter(workshop=workshop)
        .annotate(pre=Count("votes", filter=Q(votes__round__number=PRE_ROUND)))
        .values_list("sector", "pre")
    )
    for sector, pre in rows:
        joined += 1
        if pre:
            sectors[sector] += 1
    return WindowCounts(
        joined=joined,
        pre_rated=sum(sectors.values()),
        by_sector=[(label, sectors[value]) for value, label in Sector.choices if sectors[value]],
        per_domain=[(d, per_domain.get(d.pk, 0)) for d in domains],
    )


@dataclass(frozen=True)
class Card:
    pk: int
    text: str
    hidden: bool


def evidence_cards(round_pk: int) -> list[Card]:
    """The evidence notes of one round 0, as anonymous cards (who wrote it is not read)."""
    return [
        Card(pk, text, hidden)
        for pk, text, hidden in EvidenceNote.objects.filter(round_id=round_pk)
        .order_by("pk")
        .values_list("pk", "text", "hidden")
    ]


def evidence_by_domain(workshop: Workshop) -> list[tuple[Domain, list[str]]]:
    """For the action-plan appendix: visible notes per domain, framework order (one query)."""
    grouped: dict[int, tuple[Domain, list[str]]] = {}
    notes = (
        EvidenceNote.objects.filter(round__workshop=workshop, round__number=PRE_ROUND, hidden=False)
        .select_related("round__domain")
        .order_by("round__domain__position", "round__domain_id", "pk")
    )
    for note in notes:
        domain = note.round.domain
        grouped.setdefault(domain.pk, (domain, []))[1].append(note.text)
    return list(grouped.values())
