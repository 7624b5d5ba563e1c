"""Writes for notes from phones: the facilitator opens and closes them and hides cards;
participants post, edit and delete their own; the plan page promotes notes into the plan.

Opening or closing bumps the workshop's state version, so phones re-render through the
ballot's own poll. Every note or dot write also counts one more `LiveNotes.activity`, which
the projector's poll stamp includes (ActionplansConfig.live_stamp): a new card is on the wall
within one poll.
"""

from __future__ import annotations

import functools
import time

from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from ratings.models import Participant
from ratings.services import workshop_state_bump
from workshops.models import Domain, Workshop

from .models import ActionItem, DomainPlan
from .notes import append_text, clean_note, kind_error
from .notes_models import LiveNotes, Note
from .services import action_item_create, domain_plan_save


class NotesError(Exception):
    """A refused request: the message for the person and the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def retry_if_locked(write):
    """Run a phone's write again when SQLite says a table is locked.

    PostgreSQL waits for row locks; SQLite in shared-cache mode (the test server's database)
    refuses at once while a poll is reading the same table. The whole transaction is retried,
    so nothing half-done is kept.
    """

    @functools.wraps(write)
    def wrapper(*args, **kwargs):
        for attempt in range(40):
            try:
                return write(*args, **kwargs)
            except OperationalError as exc:
                if connection.vendor != "sqlite" or "locked" not in str(exc) or attempt == 39:
                    raise
                time.sleep(0.025)
        raise AssertionError("unreachable")

    return wrapper


def touch(workshop_pk: int) -> None:
    """Count one more change of the workshop's notes or dots, in the same transaction, so the
    projector's poll (which reads `activity` in its one stamp query) sees it with the data."""
    LiveNotes.objects.filter(workshop_id=workshop_pk).update(activity=F("activity") + 1)


def locked_state(workshop: Workshop) -> tuple[Workshop, LiveNotes]:
    """The notes state (made on demand) and then the workshop row, locked for this transaction.

    Always in that order, the order a phone's post takes them (the state row, then the
    workshop's key through the new note's foreign key), so the two never deadlock.
    """
    LiveNotes.objects.get_or_create(workshop_id=workshop.pk)
    state = LiveNotes.objects.select_for_update().get(workshop_id=workshop.pk)
    w = Workshop.objects.select_for_update(no_key=True, of=("self",)).get(pk=workshop.pk)
    return w, state


def require_live(w: Workshop) -> None:
    if w.status == Workshop.Status.CLOSED:
        raise NotesError("This workshop has closed: notes and dots are frozen.")
    if w.status != Workshop.Status.LIVE:
        raise NotesError("Start the workshop first.")


def _domain_of(workshop: Workshop, domain_pk: int | None) -> Domain:
    domain = Domain.objects.filter(framework_id=workshop.framework_id, pk=domain_pk).first()
    if domain is None:
        raise NotesError("That domain is not part of this workshop's framework.", 400)
    return domain


# --- the facilitator -------------------------------------------------------------------


@transaction.atomic
def notes_open(workshop: Workshop, user, domain_pk: int | None) -> LiveNotes:
    """Open notes for one domain, or for all of them when `domain_pk` is None."""
    w, state = locked_state(workshop)
    require_live(w)
    state.notes_open = True
    state.notes_domain = _domain_of(w, domain_pk) if domain_pk is not None else None
    state.save(update_fields=["notes_open", "notes_domain"])
    workshop_state_bump(workshop)
    touch(w.pk)
    return state


@transaction.atomic
def notes_close(workshop: Workshop, user) -> LiveNotes:
    w, state = locked_state(workshop)
    if state.notes_open:
        state.notes_open = False
        state.save(update_fields=["notes_open"])
        workshop_state_bump(workshop)
        touch(w.pk)
    return state


@retry_if_locked
@transaction.atomic
def note_hide(workshop: Workshop, user, note_pk: int) -> Note:
    """Hide a card: it stays on record, marked, and never shows on the projector or the PDF."""
    note = Note.objects.select_for_update().filter(workshop=workshop, pk=note_pk).first()
    if note is None:
        raise NotesError("That note does not exist (any more).", 404)
    if not note.is_hidden:
        note.is_hidden, note.hidden_by, note.hidden_at = True, user, timezone.now()
        note.save(update_fields=["is_hidden", "hidden_by", "hidden_at", "updated_at"])
        touch(workshop.pk)
    return note


# --- participants ------------------------------------------------------------------------


def _open_state_for(participant: Participant, domain: Domain) -> None:
    """Lock the notes state and refuse (409) unless notes are open for `domain`."""
    state = LiveNotes.objects.select_for_update().filter(workshop_id=participant.workshop_id).first()
    live = participant.workshop.status == Workshop.Status.LIVE
    if state is None or not live or not state.is_open_for(domain.pk):
        raise NotesError(f"Notes for {domain.code} are closed: your note was not saved.")


@retry_if_locked
@transaction.atomic
def note_post(participant: Participant, domain: Domain, *, kind: str, text: str, show_name: bool) -> Note:
    text, error = clean_note(text)
    error = kind_error(kind) or error
    if error:
        raise NotesError(error, 400)
    _open_state_for(participant, domain)
    note = Note.objects.create(
        workshop_id=participant.workshop_id,
        domain=domain,
        participant=participant,
        kind=kind,
        text=text,
        show_name=show_name and bool(participant.display_name),
        author_name=participant.display_name if show_name else "",
    )
    touch(participant.workshop_id)
    return note


def _own_note(participant: Participant, note_pk: int) -> Note:
    note = (
        Note.objects.select_for_update(of=("self",))
        .select_related("domain")
        .filter(workshop_id=participant.workshop_id, pk=note_pk)
        .first()
    )
    if note is None:
        raise NotesError("That note does not exist (any more).", 404)
    if note.participant_id != participant.pk:
        raise NotesError("Only the phone that wrote a note can change it.", 403)
    return note


@retry_if_locked
@transaction.atomic
def note_edit(participant: Participant, note_pk: int, *, text: str, show_name: bool) -> Note:
    text, error = clean_note(text)
    if error:
        raise NotesError(error, 400)
    note = _own_note(participant, note_pk)
    _open_state_for(participant, note.domain)
    if note.used_as:
        raise NotesError("The facilitator already used this note in the action plan, so it stays as it is.")
    note.text = text
    note.show_name = show_name and bool(participant.display_name)
    note.author_name = participant.display_name if note.show_name else ""
    note.save(update_fields=["text", "show_name", "author_name", "updated_at"])
    touch(participant.workshop_id)
    return note


@retry_if_locked
@transaction.atomic
def note_delete(participant: Participant, note_pk: int) -> Domain:
    note = _own_note(participant, note_pk)
    _open_state_for(participant, note.domain)
    if note.used_as:
        raise NotesError("The facilitator already used this note in the action plan, so it stays.")
    note.delete()
    touch(participant.workshop_id)
    return note.domain


# --- the plan page -------------------------------------------------------------------------


def _plan_note(workshop: Workshop, note_pk: int) -> Note:
    note = (
        Note.objects.select_for_update(of=("self",))
        .select_related("domain")
        .filter(workshop=workshop, pk=note_pk, is_hidden=False)
        .first()
    )
    if note is None:
        raise NotesError("That note does not exist or was hidden.", 404)
    return note


@transaction.atomic
def note_append_to_plan(workshop: Workshop, note_pk: int, user) -> DomainPlan:
    """Append a note's text to its column's box through the plan's versioned save."""
    note = _plan_note(workshop, note_pk)
    if note.used_as == Note.Use.BOX:
        raise NotesError("This note is already in the plan's text.")
    plan = DomainPlan.objects.filter(workshop=workshop, domain=note.domain).first()
    data = {
        "working_well": plan.working_well if plan else "",
        "challenges": plan.challenges if plan else "",
        "next_steps": plan.next_steps if plan else "",
        "is_priority": plan.is_priority if plan else False,
    }
    data[note.kind] = append_text(data[note.kind], note.text)
    saved = domain_plan_save(workshop, note.domain, data=data, version=plan.version if plan else 0, user=user)
    Note.objects.filter(pk=note.pk).update(used_as=Note.Use.BOX, used_at=timezone.now())
    return saved


@transaction.atomic
def note_to_action_item(workshop: Workshop, note_pk: int, user) -> ActionItem:
    """A "next steps" note becomes an action item; owner and due date are filled in later."""
    note = _plan_note(workshop, note_pk)
    if note.kind != Note.Kind.NEXT_STEPS:
        raise NotesError("Only a “next steps” note can become an action item.", 400)
    if note.action_item_id:
        raise NotesError("This note is already an action item.")
    item = action_item_create(
        workshop,
        note.domain,
        data={
            "description": note.text,
            "owner_name": "",
            "owner_organisation": "",
            "due_date": None,
            "status": "not_started",
            "note": "",
        },
        user=user,
    )
    Note.objects.filter(pk=note.pk).update(used_as=Note.Use.ITEM, used_at=timezone.now(), action_item=item)
    return item
