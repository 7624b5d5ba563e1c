"""Read side of notes and dots: the projector's wall, a phone's own notes, the plan page's
notes per domain. Each function runs a fixed number of queries whatever the number of notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from ratings.models import Participant
from workshops.models import Domain, Workshop

from .notes import KINDS, WALL_PER_COLUMN, cards_that_fit, chosen_by_words
from .notes_models import LiveNotes, Note


def notes_state(workshop_pk: int) -> LiveNotes | None:
    return LiveNotes.objects.filter(workshop_id=workshop_pk).select_related("notes_domain").first()


def priorities_chosen_by(workshop: Workshop) -> str:
    """ "priorities chosen by N people" once the room's dot-vote confirmed them, else ""."""
    voters = LiveNotes.objects.filter(workshop=workshop).values_list("priority_voters", flat=True).first()
    return "" if voters is None else chosen_by_words(voters)


@dataclass
class Column:
    kind: str
    label: str
    notes: list[Note] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.notes))


def wall(workshop: Workshop, domain: Domain, per_column: int = WALL_PER_COLUMN) -> list[Column]:
    """The projector's three columns: the newest visible cards first, as many as fit (at most
    `per_column`), and how many there are in all."""
    visible = Note.objects.filter(workshop=workshop, domain=domain, is_hidden=False)
    totals = dict(visible.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    columns = []
    for kind, label in KINDS:
        notes = list(visible.filter(kind=kind)[:per_column]) if totals.get(kind) else []
        notes = notes[: cards_that_fit(len(n.text) for n in notes)]  # at most what fits
        columns.append(Column(kind, label, notes, totals.get(kind, 0)))
    return columns


def console_notes(workshop: Workshop, domain: Domain) -> list[Note]:
    """Every card of the domain (hidden ones marked), newest first, for the facilitator to hide."""
    return list(Note.objects.filter(workshop=workshop, domain=domain))


def own_notes(participant: Participant, domain: Domain) -> list[Note]:
    return list(Note.objects.filter(participant=participant, domain=domain))


def plan_notes(workshop: Workshop, domain: Domain | None = None) -> dict[int, dict]:
    """{domain pk: {"columns": [Column], "hidden": n}} of the visible notes, oldest first.

    Two queries; the plan page shows what the room wrote beside each box.
    """
    qs = Note.objects.filter(workshop=workshop)
    if domain is not None:
        qs = qs.filter(domain=domain)
    result: dict[int, dict] = {}

    def entry(domain_pk: int) -> dict:
        if domain_pk not in result:
            result[domain_pk] = {"columns": [Column(kind, label) for kind, label in KINDS], "hidden": 0}
        return result[domain_pk]

    index = {kind: i for i, (kind, _label) in enumerate(KINDS)}
    for note in qs.filter(is_hidden=False).order_by("created_at", "pk"):
        column = entry(note.domain_id)["columns"][index[note.kind]]
        column.notes.append(note)
        column.total += 1
    hidden = qs.filter(is_hidden=True).order_by().values("domain_id").annotate(n=Count("pk"))
    for row in hidden.values_list("domain_id", "n"):
        entry(row[0])["hidden"] = row[1]
    return result


def pdf_notes(workshop: Workshop) -> dict[int, list[Note]]:
    """Visible notes per domain for the PDF's appendix, by column then time (one query)."""
    order = {kind: i for i, (kind, _label) in enumerate(KINDS)}
    grouped: dict[int, list[Note]] = {}
    notes = Note.objects.filter(workshop=workshop, is_hidden=False).order_by("created_at", "pk")
    for note in sorted(notes, key=lambda n: order[n.kind]):
        grouped.setdefault(note.domain_id, []).append(note)
    return grouped
