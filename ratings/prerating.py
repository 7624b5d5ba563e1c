"""Rating before the day: the window's rules (pure functions) and its writes.

Pre-ratings are round 0 of each domain: ordinary `Round` and `Vote` rows, so the consensus
rule, the one-vote-per-participant-and-round constraint and the room's "latest round counts"
apply unchanged. Round 0 is created closed (votes never go through the live vote path) and
is only written while the window is open, which it never is once the workshop is live; so
nothing can change a pre-rating after the room has seen it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from workshops.models import Domain, Level, Workshop

from .models import EVIDENCE_MAX, EvidenceNote, Participant, Round, Vote
from .services import LiveError

DEFAULT_CLOSING_TIME = dt.time(9, 0)  # a workshop's date has no time: the morning it starts
PRE_ROUND = 0


class WindowState:
    NOT_OPENED = "not_opened"
    OPEN = "open"
    CLOSED = "closed"


def window_state(status: str, opened_at, closes_at, now) -> str:
    """Open only on a workshop that has not started, between opening and the closing time."""
    if opened_at is None or closes_at is None:
        return WindowState.NOT_OPENED
    if status != Workshop.Status.DRAFT or now >= closes_at:
        return WindowState.CLOSED
    return WindowState.OPEN


def workshop_window(workshop: Workshop, now=None) -> str:
    return window_state(
        workshop.status, workshop.prerating_opened_at, workshop.prerating_closes_at, now or timezone.now()
    )


def default_closing(workshop_date: dt.date) -> dt.datetime:
    """When the workshop starts: its date at the usual start time, in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(workshop_date, DEFAULT_CLOSING_TIME))


def note_error(text: str) -> str | None:
    """Why an evidence note is refused (before the database sees it), or None."""
    if len(text) > EVIDENCE_MAX:
        return f"Keep your note to {EVIDENCE_MAX} characters (it has {len(text)})."
    return None


def clean_note(raw: str) -> str:
    """Line endings normalised (a browser sends CRLF: 500 typed characters stay 500)."""
    return (raw or "").replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass(frozen=True)
class HowReached:
    """How a domain's level was reached, for the results page, panel and PDF."""

    pre_rated: int  # people who answered round 0 (not sure included)
    pre_split: bool
    live_voters: int | None  # voters in the latest live round, None when there was none
    agreed: bool

    def __str__(self) -> str:
        return how_reached_words(self.pre_rated, self.pre_split, self.live_voters, self.agreed)


def how_reached_words(pre_rated: int, pre_split: bool, live_voters: int | None, agreed: bool) -> str:
    """'pre-rated by 18, agreed without a live vote' / '…, split; agreed after a live round of 24'."""
    text = f"pre-rated by {pre_rated}"
    if pre_split:
        text += ", split"
    if not agreed:
        return text + ("; live round of " + str(live_voters) if live_voters is not None else "")
    if live_voters is None:
        return text + ", agreed without a live vote"
    return text + ("; " if pre_split else ", ") + f"agreed after a live round of {live_voters}"


# ---------------------------------------------------------------- writes


def _locked_workshop(workshop: Workshop) -> Workshop:
    return Workshop.objects.select_for_update(no_key=True, of=("self",)).get(pk=workshop.pk)


def _bump(workshop_pk: int, **fields) -> None:
    Workshop.objects.filter(pk=workshop_pk).update(state_version=F("state_version") + 1, **fields)


def prerating_open(workshop: Workshop, user, closes_at: dt.datetime | None = None) -> Workshop:
    """Open (or re-open, or move the closing time of) the window on a workshop not yet live."""
    now = timezone.now()
    with transaction.atomic():
        w = _locked_workshop(workshop)
        if w.status == Workshop.Status.CLOSED:
            raise LiveError("This workshop has closed: it no longer takes ratings.")
        if w.status == Workshop.Status.LIVE:
            raise LiveError("The workshop has started: the room rates live now.")
        closes_at = closes_at or default_closing(w.date)
        if closes_at <= now:
            raise LiveError("Choose a closing time in the future.", 400)
        _bump(w.pk, prerating_opened_at=w.prerating_opened_at or now, prerating_closes_at=closes_at)
    workshop.refresh_from_db()
    return workshop


def prerating_close(workshop: Workshop, user) -> Workshop:
    """Close the window now; pre-ratings already given are kept for the room."""
    with transaction.atomic():
        w = _locked_workshop(workshop)  # waits for pre-ratings in flight (they share-lock it)
        now = timezone.now()
        if workshop_window(w, now) == WindowState.OPEN:
            _bump(w.pk, prerating_closes_at=now)
    workshop.refresh_from_db()
    return workshop


def _window_row(workshop_pk: int):
    """The workshop's window. On PostgreSQL the row is share-locked first, so a close waits
    for pre-ratings in flight and a pre-rating behind a close sees the window closed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {Workshop._meta.db_table} WHERE id = %s FOR SHARE", [workshop_pk])
    row = (
        Workshop.objects.filter(pk=workshop_pk)
        .values_list("status", "prerating_opened_at", "prerating_closes_at", "framework_id")
        .first()
    )
    if row is None:  # pragma: no cover - the participant's workshop exists
        raise LiveError("No such workshop.", 404)
    return row


def _pre_round(workshop_pk: int, domain_pk: int) -> Round:
    """Round 0 of the domain, created on the first pre-rating (closed: never a live vote)."""
    rnd = Round.objects.filter(workshop_id=workshop_pk, domain_id=domain_pk, number=PRE_ROUND).first()
    if rnd is not None:
        return rnd
    try:
        with transaction.atomic():
            return Round.objects.create(
                workshop_id=workshop_pk, domain_id=domain_pk, number=PRE_ROUND, status=Round.Status.CLOSED
            )
    except IntegrityError:  # another phone created it a moment ago
        return Round.objects.get(workshop_id=workshop_pk, domain_id=domain_pk, number=PRE_ROUND)


def prerating_record(participant: Participant, domain_pk: int, level: int | None, note: str = "") -> Vote:
    """Record or change one pre-rating (level None: not sure) and its evidence note.

    Refused with nothing written when the note is too long, the level or domain is not in
    the framework, or the window is not open (409).
    """
    note = clean_note(note)
    error = note_error(note)
    if error:
        raise LiveError(error, 400)
    with transaction.atomic():
        status, opened, closes, framework_id = _window_row(participant.workshop_id)
        state = window_state(status, opened, closes, timezone.now())
        if state != WindowState.OPEN:
            raise LiveError(
                "Rating before the day has closed: your rating was not recorded."
                if state == WindowState.CLOSED
                else "Rating before the day has not opened for this workshop.",
                409,
            )
        if not Domain.objects.filter(pk=domain_pk, framework_id=framework_id).exists():
            raise LiveError("That domain is not part of this workshop.", 400)
        if level is not None and not Level.objects.filter(framework_id=framework_id, score=level).exists():
            raise LiveError("That is not one of the levels: your rating was not recorded.", 400)
        rnd = _pre_round(participant.workshop_id, domain_pk)
        (vote,) = Vote.objects.bulk_create(
            [Vote(round_id=rnd.pk, participant_id=participant.pk, level=level)],
            update_conflicts=True,
            unique_fields=["round", "participant"],
            update_fields=["level", "updated_at"],
        )
        if note:
            EvidenceNote.objects.update_or_create(
                round_id=rnd.pk, participant_id=participant.pk, defaults={"text": note}
            )
        else:
            EvidenceNote.objects.filter(round_id=rnd.pk, participant_id=participant.pk).delete()
    return vote


def evidence_hide(workshop: Workshop, user, note_pk: int, hidden: bool) -> EvidenceNote:
    """Hide a card from the projector (or show it again); the note itself is kept."""
    with transaction.atomic():
        w = _locked_workshop(workshop)
        note = EvidenceNote.objects.filter(pk=note_pk, round__workshop_id=w.pk).first()
        if note is None:
            raise LiveError("No such evidence card in this workshop.", 404)
        note.hidden = hidden
        note.hidden_by = user if hidden else None
        note.hidden_at = timezone.now() if hidden else None
        note.save(update_fields=["hidden", "hidden_by", "hidden_at", "updated_at"])
        _bump(w.pk)
    return note
