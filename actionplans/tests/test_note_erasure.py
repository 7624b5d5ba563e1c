"""Names survive erasure (issue 21): a note posted with "show my name" keeps the author's name
in `Note.author_name`, a copy of the participant's name. Every way of erasing a participant
("Remove my name", `anonymise_participants`, the two admin actions, deleting a participant of a
workshop not yet closed) blanks that copy too, so the name leaves the projector, the plan page,
the preview and the PDF; the note's words, its use in the plan, votes and dots stay."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from actionplans.document import render_action_plan_pdf
from actionplans.models import ActionItem, DomainPlan, PlanEdit
from actionplans.notes_models import Dot, Note
from actionplans.notes_services import notes_open
from actionplans.tests.erasure_fixtures import NAME
from actionplans.tests.notes_fixtures import domain, post_note
from ratings.models import EvidenceNote, Participant, Vote
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def _pdf_text(workshop: Workshop) -> str:
    reader = PdfReader(io.BytesIO(render_action_plan_pdf(workshop)))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def _pages(workshop: Workshop, client) -> dict[str, str]:
    return {
        "projector": client.get(f"/workshops/{workshop.pk}/live/projector/").content.decode(),
        "plan page": client.get(f"/workshops/{workshop.pk}/plan/").content.decode(),
        "preview": client.get(f"/workshops/{workshop.pk}/plan/preview/").content.decode(),
        "pdf": _pdf_text(workshop),
    }


def _kept(workshop: Workshop) -> dict:
    """What erasure must never change."""
    return {
        "votes": list(Vote.objects.order_by("pk").values_list("pk", "participant_id", "level")),
        "dots": list(Dot.objects.order_by("pk").values_list("pk", "participant_id", "domain_id", "slot")),
        "words": list(Note.objects.order_by("pk").values_list("pk", "participant_id", "text", "used_as")),
        "evidence": list(EvidenceNote.objects.order_by("pk").values_list("pk", "participant_id", "text")),
        "plans": list(DomainPlan.objects.order_by("pk").values()),
        "items": list(ActionItem.objects.order_by("pk").values()),
        "history": list(PlanEdit.objects.order_by("pk").values()),
        "sectors": list(Participant.objects.order_by("pk").values_list("pk", "sector")),
    }


def _named_notes() -> list[str]:
    return list(Note.objects.exclude(author_name="").values_list("author_name", flat=True))


def test_the_name_is_on_every_page_before_erasure(named, facilitator, client_for):
    workshop, _phone, _sam = named
    pages = _pages(workshop, client_for(facilitator))
    for where in ("plan page", "preview", "pdf"):
        assert NAME in pages[where], where


def test_remove_my_name_erases_the_name_from_the_phones_notes(named, facilitator, client_for):
    workshop, phone, sam = named
    before = _kept(workshop)
    assert phone.post(f"/p/{workshop.join_code}/remove-name/").status_code == 303
    assert _named_notes() == ["Alex Other"]
    assert _kept(workshop) == before
    for where, text in _pages(workshop, client_for(facilitator)).items():
        assert NAME not in text, where
        assert "Named school leads" in text or where == "projector", where
    assert "Alex Other" in _pages(workshop, client_for(facilitator))["plan page"]
    notes_page = phone.get(f"/p/{workshop.join_code}/notes/?domain=C1").content.decode()
    assert "shown with your name" not in notes_page


def test_remove_my_name_changes_the_projectors_stamp(named, facilitator, client_for):
    """The wall on the screen redraws without the name at its next poll."""
    from actionplans.notes_models import LiveNotes

    workshop, phone, _sam = named
    activity = LiveNotes.objects.get(workshop=workshop).activity
    phone.post(f"/p/{workshop.join_code}/remove-name/")
    assert LiveNotes.objects.get(workshop=workshop).activity > activity


def test_anonymise_older_than_0_erases_the_names_of_notes(named, facilitator, client_for):
    workshop, _phone, _sam = named
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.CLOSED)
    before = _kept(workshop)
    dry = io.StringIO()
    call_command("anonymise_participants", "--older-than", "0", "--dry-run", stdout=dry)
    assert "Would anonymise 2 participant(s)" in dry.getvalue()
    assert len(_named_notes()) == 3
    out = io.StringIO()
    call_command("anonymise_participants", "--older-than", "0", stdout=out)
    assert "Anonymised 2 participant(s)" in out.getvalue()
    assert _named_notes() == []
    assert not Note.objects.filter(show_name=True).exists()
    assert _kept(workshop) == before
    for where, text in _pages(workshop, client_for(facilitator)).items():
        assert NAME not in text and "Alex Other" not in text, where


def test_anonymise_reaches_notes_of_participants_anonymised_before_the_fix(named):
    """A database anonymised by the old command: participants blank, their notes still named."""
    workshop, _phone, _sam = named
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.CLOSED)
    Participant.objects.filter(workshop=workshop).update(display_name="", organisation="")
    assert len(_named_notes()) == 3
    out = io.StringIO()
    call_command("anonymise_participants", "--older-than", "0", stdout=out)
    assert _named_notes() == []
    assert "2 participant(s)" in out.getvalue()


def test_the_participant_admin_action_erases_the_names_of_notes(named, admin_user, client_for):
    _workshop, _phone, sam = named
    response = client_for(admin_user).post(
        "/admin/ratings/participant/", {"action": "anonymise", "_selected_action": [sam.pk]}
    )
    assert response.status_code == 302
    assert _named_notes() == ["Alex Other"]


def test_the_workshop_admin_action_erases_the_names_of_notes(named, admin_user, client_for):
    workshop, _phone, _sam = named
    response = client_for(admin_user).post(
        "/admin/workshops/workshop/",
        {"action": "anonymise_workshop_participants", "_selected_action": [workshop.pk]},
    )
    assert response.status_code == 302
    assert _named_notes() == []


def test_deleting_a_participant_of_a_live_workshop_leaves_no_named_note(named):
    """Notes outlive their author (the plan may use them), so the name goes before the row."""
    _workshop, _phone, sam = named
    sam.delete()
    assert _named_notes() == ["Alex Other"]
    assert Note.objects.filter(participant=None).count() == 3
    Participant.objects.filter(display_name="Alex Other").delete()
    assert _named_notes() == []


def test_anonymise_blanks_names_left_on_notes_whose_author_was_deleted(named):
    """Rows deleted before the fix: the note kept the name with no participant to erase."""
    workshop, _phone, sam = named
    Note.objects.filter(participant=sam).update(participant=None)
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.CLOSED)
    dry = io.StringIO()
    call_command("anonymise_participants", "--older-than", "0", "--dry-run", stdout=dry)
    assert "Would blank 2 name(s) left on rows of deleted participants." in dry.getvalue()
    out = io.StringIO()
    call_command("anonymise_participants", "--older-than", "0", stdout=out)
    assert "Blanked 2 name(s) left on rows of deleted participants." in out.getvalue()
    assert _named_notes() == []


def test_a_note_posted_after_remove_my_name_carries_no_name(named):
    workshop, phone, _sam = named
    phone.post(f"/p/{workshop.join_code}/remove-name/")
    post_note(phone, workshop, kind="challenges", text="Later", show_name="1")
    assert Note.objects.get(text="Later").author_name == ""


def test_plan_text_and_items_made_from_notes_never_copy_the_name(named):
    """The plan keeps a note's words, not its author: nothing there for erasure to change."""
    for model in (DomainPlan, ActionItem, PlanEdit):
        assert NAME not in repr(list(model.objects.values())), model.__name__
    assert DomainPlan.objects.get(domain__code="C1").working_well == "Named school leads"


def test_the_probes_room_90_participants_and_9_named_notes(live, facilitator):
    """The finding as reported: after anonymising 90 participants, 9 notes were still named."""
    notes_open(live, facilitator, None)
    people = Participant.objects.bulk_create(
        Participant(workshop=live, display_name=f"Person {i}", sector="school") for i in range(90)
    )
    c1 = domain(live, "C1")
    Note.objects.bulk_create(
        Note(
            workshop=live,
            domain=c1,
            participant=p,
            kind="challenges",
            text="x",
            show_name=True,
            author_name=p.display_name,
        )
        for p in people[:9]
    )
    Workshop.objects.filter(pk=live.pk).update(status=Workshop.Status.CLOSED)
    out = io.StringIO()
    call_command("anonymise_participants", "--older-than", "0", stdout=out)
    assert "Anonymised 90 participant(s)" in out.getvalue()
    assert _named_notes() == [] and Note.objects.filter(text="x").count() == 9
