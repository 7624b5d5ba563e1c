"""Participants' personal data: their optional name and organisation, and the copies of them
(a note posted with "show my name"). Sector, votes, dots and the words of notes are part of the
workshop's record and stay. Where each piece lives: ratings.participant_data.

- `anonymise_due(days)`: participants of workshops closed more than `days` ago whose name or
  organisation is still held anywhere (storage limitation);
- `participant_export_rows(participant)`: everything held about one participant, for a
  subject-access request, as CSV rows whose text cells never start a formula.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import DateTimeField, QuerySet
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from workshops.models import Workshop
from workshops.spreadsheet import as_text_cell

from .models import Participant
from .participant_data import export_lines, still_named


def anonymise_due(days: int, *, now: dt.datetime | None = None) -> QuerySet[Participant]:
    """Participants with a name or organisation whose workshop closed more than `days` ago (a
    closed workshop without a closing time counts from its date)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    closed_before = (
        Workshop.objects.filter(status=Workshop.Status.CLOSED)
        .annotate(ended=Coalesce("closed_at", Cast("date", DateTimeField())))
        .filter(ended__lt=cutoff)
        .values("pk")
    )
    return Participant.objects.filter(still_named(), workshop_id__in=closed_before)


def anonymise_workshops(workshops: QuerySet[Workshop]) -> int:
    """The admin action: blank names and organisations of these workshops' participants."""
    return Participant.objects.filter(workshop__in=workshops).anonymise()


def remove_name(participant: Participant) -> None:
    """ "Remove my name" from the phone: this participant only, with every copy of the name
    (their notes' bylines); votes, sector, dots and the notes' words stay."""
    Participant.objects.filter(pk=participant.pk).anonymise()
    participant.display_name = participant.organisation = ""


EXPORT_HEADER = ["record", "workshop", "area", "date", "field", "value", "at"]


def participant_export_rows(participant: Participant) -> list[list[object]]:
    """Everything held about one participant (subject-access request), from every model that
    holds rows about them (ratings.participant_data): who they said they were, each vote,
    evidence note, note and dot, with its time."""
    w = participant.workshop
    base = [w.title, w.area.name, w.date.isoformat()]
    rows: list[list[object]] = [EXPORT_HEADER]
    for record, what, value, at in export_lines(participant):
        rows.append([record, *base, what, value, at.isoformat() if at else ""])
    return [[as_text_cell(cell) for cell in row] for row in rows]
