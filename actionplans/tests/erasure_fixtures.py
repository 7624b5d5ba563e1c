"""The erasure and subject-access tests' participant: notes, dots, a vote and an evidence note."""

from __future__ import annotations

import pytest

from actionplans.dots import dot_place, dots_open
from actionplans.notes_models import Note
from actionplans.notes_services import note_append_to_plan, note_to_action_item, notes_open
from actionplans.tests.notes_fixtures import domain, join, post_note
from ratings.invitation_models import Invitation
from ratings.models import EvidenceNote, Round, Vote

NAME = "Sam Smithson"


@pytest.fixture
def named(live, facilitator):
    """A phone that joined as Sam Smithson (by an emailed invitation), with two named notes used
    in the plan, an anonymous note, a vote, an evidence note and two dots;
    and another phone, Alex, with a named note."""
    notes_open(live, facilitator, None)
    phone, sam = join(live, name=NAME)
    post_note(phone, live, kind="working_well", text="Named school leads", show_name="1")
    post_note(phone, live, kind="next_steps", text="Train two staff per school", show_name="1")
    post_note(phone, live, kind="challenges", text="Waiting lists", show_name="")
    other_phone, _alex = join(live, name="Alex Other")
    post_note(other_phone, live, kind="challenges", text="Alex's point", show_name="1")
    note_append_to_plan(live, Note.objects.get(text="Named school leads").pk, facilitator)
    note_to_action_item(live, Note.objects.get(text="Train two staff per school").pk, facilitator)
    rnd = Round.objects.create(workshop=live, domain=domain(live, "C1"), number=0)
    Vote.objects.create(round=rnd, participant=sam, level=2)
    EvidenceNote.objects.create(round=rnd, participant=sam, text="We have a map of services")
    Invitation.objects.create(
        workshop=live,
        name=NAME,
        email="sam@school.example",
        sector=sam.sector,
        token_hash="s" * 64,
        participant=sam,
    )
    dots_open(live, facilitator)
    dot_place(sam, domain(live, "C1").pk)
    dot_place(sam, domain(live, "A1").pk)
    return live, phone, sam
