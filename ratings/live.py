"""Read model of the live workshop: what the projector, the console and the phones show.

A fixed number of queries whatever the number of participants, and a one-query "stamp"
that polls compare to answer "nothing new" cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from workshops.models import Descriptor, Domain, Level, Workshop

from .benchmark_data import own_vote_in_room
from .consensus import SectorBreakdown, VoteSummary, agreement_in_words, sector_breakdown, summarise
from .models import Consensus, HandCount, Participant, Round, Sector, Vote
from .presence import present_count


@dataclass
class Option:
    """One level of the current domain: what the ballot and the projector show."""

    score: int
    label: str
    text: str


CHART_LABEL, CHART_BAR_MAX, CHART_ROW, CHART_BAR_H = 235, 215, 68, 52  # SVG user units


@dataclass
class Bar:
    """One level's row of the server-rendered horizontal SVG chart (geometry computed here)."""

    index: int
    score: int
    label: str
    phone: int
    hands: int
    height: float  # 0..100, share of the longest bar

    @property
    def total(self) -> int:
        return self.phone + self.hands

    def _w(self, count: int) -> float:
        if not self.total:
            return 0
        return round(CHART_BAR_MAX * self.height / 100 * (count / self.total), 1)

    @property
    def y(self) -> int:
        return 6 + self.index * CHART_ROW

    @property
    def text_y(self) -> int:
        return self.y + 37

    @property
    def label_lines(self) -> list[tuple[str, int]]:
        """The level's label wrapped onto at most two lines, with their baselines."""
        words, lines = self.label.split(), [""]
        for word in words:
            if lines[-1] and len(lines[-1]) + 1 + len(word) > 14 and len(lines) < 2:
                lines.append(word)
            else:
                lines[-1] = f"{lines[-1]} {word}".strip()
        if len(lines) == 1:
            return [(lines[0], self.y + 33)]
        return [(lines[0], self.y + 20), (lines[1], self.y + 47)]

    @property
    def bar_h(self) -> int:
        return CHART_BAR_H

    @property
    def phone_x(self) -> int:
        return CHART_LABEL

    @property
    def phone_w(self) -> float:
        return self._w(self.phone)

    @property
    def hands_x(self) -> float:
        return CHART_LABEL + self.phone_w

    @property
    def hands_w(self) -> float:
        return self._w(self.hands)

    @property
    def count_x(self) -> float:
        return CHART_LABEL + self.phone_w + self.hands_w + 8


@dataclass
class Stage:
    workshop: Workshop
    domains: list[Domain] = field(default_factory=list)
    levels: list[Level] = field(default_factory=list)
    domain: Domain | None = None
    options: list[Option] = field(default_factory=list)
    round: Round | None = None
    voted: int = 0
    joined: int = 0
    present: int = 0  # phones seen in the last 30 s (ratings.presence)
    hands: dict[int, int] = field(default_factory=dict)
    summary: VoteSummary | None = None  # only once revealed
    breakdown: SectorBreakdown | None = None
    agreed: dict[int, Consensus] = field(default_factory=dict)
    previous_level: int | None = None  # follow-ups, only once revealed

    @property
    def phase(self) -> str:
        """draft, lobby, ended, summary, present, voting, closed or revealed."""
        status = self.workshop.status
        if status == Workshop.Status.DRAFT:
            return "lobby" if self.workshop.doors_open else "draft"
        if status == Workshop.Status.CLOSED:
            return "ended"
        if self.domain is None:
            return "summary"
        if self.round is None:
            return "present"
        if self.round.is_open:
            return "voting"
        return "revealed" if self.round.is_revealed else "closed"

    @property
    def in_room(self) -> int:
        """The M of "N of M voted": phones here now (a voter who left still counts once)."""
        return max(self.present, self.voted)

    @property
    def labels(self) -> dict[int, str]:
        return {lv.score: lv.label for lv in self.levels}

    @property
    def consensus(self) -> Consensus | None:
        return self.agreed.get(self.domain.pk) if self.domain else None

    @property
    def hand_total(self) -> int:
        return sum(self.hands.values())

    @property
    def hand_counted(self) -> bool:
        return self.hand_total > 0

    @property
    def agreement_words(self) -> str:
        return agreement_in_words(self.workshop.agreement_share)

    @property
    def suggestion_label(self) -> str:
        if self.summary is None or self.summary.suggestion is None:
            return ""
        return self.labels.get(self.summary.suggestion, "")

    @property
    def previous_label(self) -> str:
        return self.labels.get(self.previous_level, "") if self.previous_level is not None else ""

    @property
    def change(self) -> int | None:
        if self.previous_level is None or self.summary is None or self.summary.suggestion is None:
            return None
        return self.summary.suggestion - self.previous_level

    @property
    def chart_height(self) -> int:
        return 10 + CHART_ROW * len(self.levels)

    def bars(self) -> list[Bar]:
        if self.summary is None:
            return []
        counts = zip(self.levels, self.summary.counts, strict=True)
        phone = [c - self.hands.get(lv.score, 0) for lv, c in counts]
        tallest = max(self.summary.counts, default=0) or 1
        return [
            Bar(
                index=i,
                score=lv.score,
                label=lv.label,
                phone=p,
                hands=self.hands.get(lv.score, 0),
                height=round(100 * total / tallest, 1),
            )
            for i, (lv, p, total) in enumerate(zip(self.levels, phone, self.summary.counts, strict=True))
        ]

    def domain_rows(self) -> list[tuple[Domain, Consensus | None, bool]]:
        """(domain, agreed consensus, on screen) in framework order, for the console's list."""
        current = self.domain.pk if self.domain else None
        return [(d, self.agreed.get(d.pk), d.pk == current) for d in self.domains]

    @property
    def all_agreed(self) -> bool:
        return bool(self.domains) and all(d.pk in self.agreed for d in self.domains)

    @property
    def previous_domain(self) -> Domain | None:
        ids = [d.pk for d in self.domains]
        if self.domain is None:
            return self.domains[-1] if self.domains else None
        i = ids.index(self.domain.pk) if self.domain.pk in ids else 0
        return self.domains[i - 1] if i > 0 else None

    @property
    def sector_table_shown(self) -> bool:
        """A table with a single "Other" row tells the room nothing: say why it is hidden."""
        rows = self.breakdown.rows if self.breakdown else ()
        return len(rows) > 1 or (len(rows) == 1 and rows[0].label != dict(Sector.choices)[Sector.OTHER])

    @property
    def in_loop(self) -> bool:
        """A domain's three steps are on screen (the console's action bar shows errors)."""
        return self.phase in {"present", "voting", "closed", "revealed"}

    @property
    def leave_warning(self) -> str:
        """Why moving away now loses something: asked before Next or another domain."""
        if self.domain is None:
            return ""
        if self.phase == "voting":
            return f"Voting is open on {self.domain.code}. Moving on closes it. Move on?"
        if self.phase == "revealed" and self.consensus is None:
            return f"No level is agreed for {self.domain.code} yet. Move on without agreeing one?"
        return ""

    @property
    def position(self) -> int:
        ids = [d.pk for d in self.domains]
        return ids.index(self.domain.pk) + 1 if self.domain and self.domain.pk in ids else 0


def _options(domain: Domain | None, levels: list[Level]) -> list[Option]:
    if domain is None:
        return []
    texts = dict(Descriptor.objects.filter(domain=domain).values_list("level_id", "text"))
    return [Option(lv.score, lv.label, texts.get(lv.pk, "")) for lv in levels]


def staff_stage(workshop: Workshop) -> Stage:
    """Everything the console and the projector show, in at most ten queries."""
    stage = Stage(workshop=workshop)
    stage.domains = list(Domain.objects.filter(framework_id=workshop.framework_id))
    stage.levels = list(Level.objects.filter(framework_id=workshop.framework_id))
    stage.agreed = {
        c.domain_id: c for c in Consensus.objects.filter(workshop=workshop).select_related("confirmed_by")
    }
    stage.joined = Participant.objects.filter(workshop=workshop).count()
    stage.present = present_count(workshop.pk)
    stage.domain = next((d for d in stage.domains if d.pk == workshop.current_domain_id), None)
    if stage.domain is None:
        return stage
    stage.options = _options(stage.domain, stage.levels)
    stage.round = Round.objects.filter(workshop=workshop, domain=stage.domain).order_by("-number").first()
    if stage.round is None:
        return stage
    stage.hands = dict(HandCount.objects.filter(round=stage.round, count__gt=0).values_list("level", "count"))
    scores = [lv.score for lv in stage.levels]
    if not stage.round.is_revealed:
        stage.voted = Vote.objects.filter(round=stage.round).count()
        return stage
    ballots = list(Vote.objects.filter(round=stage.round).values_list("participant__sector", "level"))
    ballots = [(s, lv) for s, lv in ballots if lv is None or lv in scores]
    stage.voted = len(ballots)
    hand_votes = [lv for lv, n in stage.hands.items() for _ in range(n) if lv in scores]
    stage.summary = summarise([lv for _, lv in ballots] + hand_votes, workshop.agreement_share, scores)
    stage.breakdown = sector_breakdown(ballots, Sector.choices, scores)
    if workshop.is_follow_up:
        previous = workshop.previous_workshop()
        if previous is not None:
            stage.previous_level = (
                Consensus.objects.filter(workshop=previous, domain=stage.domain)
                .values_list("level", flat=True)
                .first()
            )
    return stage


@dataclass
class Ballot:
    """What one participant's phone shows."""

    participant: Participant
    workshop: Workshop
    domain: Domain | None = None
    options: list[Option] = field(default_factory=list)
    round: Round | None = None
    vote: Vote | None = None
    agreed: list[tuple[Domain, int, str]] = field(default_factory=list)  # the end screen
    room_words: str = ""  # once revealed: this phone's vote beside the room's (ratings.benchmark)
    domains: list[Domain] = field(default_factory=list)  # the lobby's reading
    max_score: int = 0

    @property
    def phase(self) -> str:
        """lobby, ended, summary (the end screen while live), waiting, present, voting or closed."""
        if self.workshop.status == Workshop.Status.CLOSED:
            return "ended"
        if self.workshop.status == Workshop.Status.DRAFT:
            return "lobby"
        if self.domain is None:
            return "summary" if self.agreed else "waiting"
        if self.round is None:
            return "present"
        return "voting" if self.round.is_open else "closed"

    @property
    def total(self) -> int:
        return sum(level for _, level, _ in self.agreed)

    @property
    def max_total(self) -> int:
        return self.max_score * len(self.domains)

    @property
    def has_voted(self) -> bool:
        return self.vote is not None

    @property
    def chosen(self) -> int | None:
        return self.vote.level if self.vote else None

    @property
    def chosen_label(self) -> str:
        if self.vote is None:
            return ""
        if self.vote.level is None:
            return "Not sure"
        return next((f"{o.score} {o.label}" for o in self.options if o.score == self.vote.level), "")


def _end_screen(ballot: Ballot) -> Ballot:
    """The agreed levels and total, for the phones once the room has finished."""
    workshop = ballot.workshop
    labels = dict(Level.objects.filter(framework_id=workshop.framework_id).values_list("score", "label"))
    ballot.max_score = max(labels, default=0)
    ballot.domains = list(Domain.objects.filter(framework_id=workshop.framework_id))
    ballot.agreed = [
        (c.domain, c.level, labels.get(c.level, ""))
        for c in Consensus.objects.filter(workshop=workshop).select_related("domain")
    ]
    return ballot


def participant_ballot(participant: Participant) -> Ballot:
    """The phone's view; `participant` comes with workshop and current domain selected."""
    workshop = participant.workshop
    ballot = Ballot(participant=participant, workshop=workshop)
    if workshop.status == Workshop.Status.DRAFT:
        ballot.domains = list(Domain.objects.filter(framework_id=workshop.framework_id))
        return ballot
    if workshop.status == Workshop.Status.CLOSED or (
        workshop.status == Workshop.Status.LIVE and workshop.current_domain is None
    ):
        return _end_screen(ballot)
    if workshop.status != Workshop.Status.LIVE or workshop.current_domain is None:
        return ballot
    ballot.domain = workshop.current_domain
    descriptors = Descriptor.objects.filter(domain=ballot.domain).select_related("level")
    ballot.options = [Option(d.level.score, d.level.label, d.text) for d in descriptors]
    ballot.round = Round.objects.filter(workshop=workshop, domain=ballot.domain).order_by("-number").first()
    if ballot.round is not None:
        ballot.vote = Vote.objects.filter(round=ballot.round, participant=participant).first()
        if ballot.round.is_revealed and not ballot.round.is_open:
            ballot.room_words = own_vote_in_room(ballot.round, workshop, ballot.vote)
    return ballot


def _count(qs, group: str):
    return Coalesce(
        Subquery(
            qs.order_by().values(group).annotate(c=Count("*")).values("c")[:1], output_field=IntegerField()
        ),
        Value(0),
    )


def staff_stamp(workshop_pk: int, extra: dict | None = None) -> str | None:
    """'version.votes.joined.present' in one query (presence is in the cache): changes when
    anything the console shows changes, including phones arriving or leaving.

    `extra`: more {name: expression} on the workshop row from higher apps (see
    ratings.views._staff_stamp); each non-empty value adds a part to the stamp.
    """
    extra = extra or {}
    row = (
        Workshop.objects.filter(pk=workshop_pk)
        .annotate(
            voted=_count(
                Vote.objects.filter(round__workshop_id=OuterRef("pk"), round__status=Round.Status.OPEN),
                "round__workshop_id",
            ),
            joined=_count(Participant.objects.filter(workshop_id=OuterRef("pk")), "workshop_id"),
            **extra,
        )
        .values_list("state_version", "voted", "joined", *extra)
        .first()
    )
    if row is None:
        return None
    parts = [*row[:3], present_count(workshop_pk), *(p for p in row[3:] if p is not None)]
    return ".".join(str(part) for part in parts)


def participant_stamp(workshop_pk: int) -> str | None:
    """The workshop's state version: phones re-render only when the facilitator acts."""
    version = Workshop.objects.filter(pk=workshop_pk).values_list("state_version", flat=True).first()
    return None if version is None else str(version)
