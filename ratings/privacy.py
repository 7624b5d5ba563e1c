"""Participants' personal data: their optional name and organisation. Sector and votes are
not personal on their own and are part of the workshop's record, so they always stay.

- `anonymise_due(days)`: participants of workshops closed more than `days` ago who still have
  a name or organisation (storage limitation);
- `participant_export_rows(participant)`: everything held about one participant, for a
  subject-access request, as CSV rows whose text cells never start a formula.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import DateTimeField, Q, QuerySet
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from workshops.models import Workshop
from workshops.spreadsheet import as_text_cell

from .models import Participant, Vote


def has_personal_data() -> Q:
    return ~Q(display_name="") | ~Q(organisation="")


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
    return Participant.objects.filter(has_personal_data(), workshop_id__in=closed_before)


def anonymise_workshops(workshops: QuerySet[Workshop]) -> int:
    """The admin action: blank names and organisations of these workshops' participants."""
    return Participant.objects.filter(workshop__in=workshops).anonymise()


def remove_name(participant: Participant) -> None:
    """ "Remove my name" from the phone: this participant only; votes and sector stay."""
    Participant.objects.filter(pk=participant.pk).update(display_name="", organisation="")
    participant.display_name = participant.organisation = ""


EXPORT_HEADER = ["record", "workshop", "area", "date", "field", "value", "at"]


def participant_export_rows(participant: Participant) -> list[list[object]]:
    """One participant's data (subject-access request): who they said they were, each vote and
    each evidence note written while pre-rating."""
    w = participant.workshop
    base = [w.title, w.area.name, w.date.isoformat()]
    joined = participant.joined_at.isoformat()
    rows: list[list[object]] = [EXPORT_HEADER]
    for field, value in [
        ("participant id", participant.pk),
        ("name", participant.display_name),
        ("organisation", participant.organisation),
        ("sector", participant.get_sector_display()),
    ]:
        rows.append(["participant", *base, field, value, joined])
    votes = (
        Vote.objects.filter(participant=participant)
        .select_related("round__domain")
        .order_by("round__domain__position", "round__number")
    )
    for vote in votes:
        what = f"vote {vote.round.domain.code} round {vote.round.number}"
        level = "not sure" if vote.level is None else vote.level
        rows.append(["vote", *base, what, level, vote.updated_at.isoformat()])
    notes = participant.evidence_notes.select_related("round__domain").order_by("round__domain__position")
    for note in notes:
        what = f"evidence note {note.round.domain.code}" + (" (hidden)" if note.hidden else "")
        rows.append(["evidence note", *base, what, note.text, note.updated_at.isoformat()])
    return [[as_text_cell(cell) for cell in row] for row in rows]
