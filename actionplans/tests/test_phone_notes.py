"""Notes from phones: opening and closing, posting, editing, hiding, the projector's wall,
the phones' re-render through the ballot's poll, and escaping on every page."""

from __future__ import annotations

import pytest

from actionplans.document import render_action_plan_html
from actionplans.notes_models import LiveNotes, Note
from actionplans.notes_services import notes_close, notes_open
from actionplans.tests.notes_fixtures import domain, join, live_action, post_note
from ratings.identity import poll_token
from ratings.live import participant_stamp
from ratings.views import _staff_stamp

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def room(live, facilitator):
    notes_open(live, facilitator, domain(live, "C1").pk)
    return live


# --- the facilitator ---------------------------------------------------------------------------


def test_the_facilitator_opens_notes_for_a_domain_and_phones_are_told(live, facilitator, client_for):
    phone, _ = join(live)
    stamp = participant_stamp(live.pk)
    response = live_action(client_for(facilitator), live, "open", domain=str(domain(live, "S").pk))
    assert response.status_code == 302 and response["Location"].endswith("#notes-console")
    state = LiveNotes.objects.get(workshop=live)
    assert state.notes_open and state.notes_domain.code == "S"
    poll = phone.get(f"/p/{live.join_code}/poll/", {"s": stamp})  # the ballot's own poll
    assert poll.status_code == 200
    assert (
        "Notes are open" in poll.content.decode() and f"/p/{live.join_code}/notes/" in poll.content.decode()
    )


def test_the_facilitator_opens_notes_for_all_seven(live, facilitator, client_for):
    live_action(client_for(facilitator), live, "open", domain="all")
    state = LiveNotes.objects.get(workshop=live)
    assert state.notes_open and state.notes_domain is None
    phone, _ = join(live)
    body = phone.get(f"/p/{live.join_code}/notes/?domain=E").content.decode()
    assert "Notes · E ·" in body and body.count('href="/p/') >= 7


def test_others_cannot_open_notes(live, other_facilitator, lead, client_for):
    for user in (other_facilitator, lead):
        assert live_action(client_for(user), live, "open", domain="all").status_code == 404
    assert live_action(client_for(None), live, "open", domain="all").status_code == 302  # log in
    assert not LiveNotes.objects.filter(workshop=live).exists()


def test_it_refuses_notes_before_the_workshop_starts(workshop, facilitator, client_for):
    response = live_action(client_for(facilitator), workshop, "open", domain="all")
    assert response.status_code == 409 and "Start the workshop first." in response.content.decode()


def test_the_console_shows_the_notes_controls(room, facilitator, client_for):
    body = client_for(facilitator).get(f"/workshops/{room.pk}/live/").content.decode()
    assert "Notes and priorities from phones" in body and "Close notes" in body


# --- phones ------------------------------------------------------------------------------------


def test_a_phone_posts_a_note_while_notes_are_open(room):
    phone, participant = join(room)
    response = post_note(phone, room, kind="challenges", text="Waiting lists are long")
    assert response.status_code == 303
    note = Note.objects.get()
    assert (note.participant, note.kind, note.text, note.domain.code) == (
        participant,
        "challenges",
        "Waiting lists are long",
        "C1",
    )
    assert "Waiting lists are long" in phone.get(response["Location"]).content.decode()


def test_it_rejects_a_note_when_notes_are_closed(room, facilitator):
    phone, _ = join(room)
    notes_close(room, facilitator)
    response = post_note(phone, room)
    assert response.status_code == 409
    assert "Notes for C1 are closed: your note was not saved." in response.content.decode()
    assert not Note.objects.exists()


def test_it_rejects_a_note_for_a_domain_not_open(room):
    phone, _ = join(room)
    assert post_note(phone, room, code="S").status_code == 409
    assert not Note.objects.exists()


def test_it_rejects_an_overlong_note_with_a_message_and_keeps_the_text(room):
    phone, _ = join(room)
    response = post_note(phone, room, text="y" * 281)
    body = response.content.decode()
    assert response.status_code == 400 and "at most 280 characters" in body
    assert "y" * 281 in body  # what was typed is still in the box
    assert not Note.objects.exists()


def test_it_rejects_an_unknown_column_and_a_phone_that_did_not_join(room, client):
    phone, _ = join(room)
    assert post_note(phone, room, kind="gossip").status_code == 400
    assert post_note(client, room).status_code == 403
    assert not Note.objects.exists()


def test_notes_are_anonymous_unless_the_author_shows_their_name(room, facilitator, client_for):
    phone, _ = join(room, name="Priya")
    post_note(phone, room, text="Anonymous one")
    post_note(phone, room, text="Signed one", show_name="1")
    first, second = Note.objects.order_by("pk")
    assert (first.show_name, first.author_name) == (False, "")
    assert (second.show_name, second.author_name) == (True, "Priya")
    wall = client_for(facilitator).get(f"/workshops/{room.pk}/live/projector/").content.decode()
    assert wall.count("Priya") == 1 and "— Priya" in wall


def test_an_author_edits_and_deletes_their_note_while_open(room):
    phone, _ = join(room)
    post_note(phone, room, text="First draft")
    note = Note.objects.get()
    url = f"/p/{room.join_code}/notes/{note.pk}/"
    assert phone.post(url, {"text": "Second draft", "domain": "C1"}).status_code == 303
    note.refresh_from_db()
    assert note.text == "Second draft"
    assert phone.post(url, {"delete": "1", "domain": "C1"}).status_code == 303
    assert not Note.objects.exists()


def test_another_phone_cannot_edit_or_delete_a_note(room):
    author, _ = join(room)
    other, _ = join(room)
    post_note(author, room, text="Mine")
    note = Note.objects.get()
    url = f"/p/{room.join_code}/notes/{note.pk}/"
    response = other.post(url, {"text": "Hijacked", "domain": "C1"})
    assert (
        response.status_code == 403
        and "Only the phone that wrote a note can change it." in response.content.decode()
    )
    assert other.post(url, {"delete": "1"}).status_code == 403
    note.refresh_from_db()
    assert note.text == "Mine"


def test_an_author_cannot_edit_once_notes_close(room, facilitator):
    phone, _ = join(room)
    post_note(phone, room, text="Mine")
    note = Note.objects.get()
    notes_close(room, facilitator)
    response = phone.post(f"/p/{room.join_code}/notes/{note.pk}/", {"text": "Later", "domain": "C1"})
    assert response.status_code == 409
    note.refresh_from_db()
    assert note.text == "Mine"


# --- the projector ------------------------------------------------------------------------------


def test_a_new_note_changes_the_projector_stamp_and_reaches_the_wall(room, facilitator, client_for):
    client = client_for(facilitator)
    phone, _ = join(room)
    stamp = _staff_stamp(room.pk)
    token = poll_token(room.pk, facilitator.pk)
    poll = f"/workshops/{room.pk}/live/poll/"
    assert client.get(poll, {"view": "projector", "t": token, "s": stamp}).status_code == 204
    post_note(phone, room, kind="next_steps", text="Share the referral form")
    response = client.get(poll, {"view": "projector", "t": token, "s": stamp})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="notes-wall"' in body and "Share the referral form" in body
    assert body.lstrip().startswith('<div id="stage"')


def test_the_wall_shows_the_newest_first_and_counts_the_rest(room, facilitator, client_for):
    phone, _ = join(room)
    for i in range(9):
        post_note(phone, room, text=f"Card {i}")
    body = client_for(facilitator).get(f"/workshops/{room.pk}/live/projector/").content.decode()
    assert body.index("Card 8") < body.index("Card 3")
    assert "Card 2" not in body and "+ 3 more" in body


def test_long_notes_show_fewer_cards_and_count_the_rest(room, facilitator, client_for):
    phone, _ = join(room)
    for i in range(4):
        post_note(phone, room, text=f"Long {i} " + "x" * 250)
    body = client_for(facilitator).get(f"/workshops/{room.pk}/live/projector/").content.decode()
    assert "Long 3" in body and "Long 2" not in body and "+ 3 more" in body


def test_a_hidden_card_never_shows_again_on_the_projector_or_the_pdf(room, facilitator, client_for):
    phone, _ = join(room)
    post_note(phone, room, text="Rude remark")
    post_note(phone, room, text="Helpful remark")
    rude = Note.objects.get(text="Rude remark")
    client = client_for(facilitator)
    assert live_action(client, room, "hide", note=str(rude.pk)).status_code == 302
    rude.refresh_from_db()
    assert rude.is_hidden and rude.hidden_by == facilitator  # kept, marked
    wall = client.get(f"/workshops/{room.pk}/live/projector/").content.decode()
    assert "Helpful remark" in wall and "Rude remark" not in wall
    pdf_html = render_action_plan_html(room, for_pdf=True)
    assert "Helpful remark" in pdf_html and "Rude remark" not in pdf_html
    plan = client.get(f"/workshops/{room.pk}/plan/").content.decode()
    assert "Rude remark" not in plan and "(1 hidden)" in plan


def test_hiding_a_note_of_another_workshop_is_404(room, other_workshop, facilitator, client_for):
    phone, _ = join(room)
    post_note(phone, room)
    note = Note.objects.get()
    response = live_action(client_for(facilitator), room, "hide", note=str(note.pk + 1000))
    assert response.status_code == 404
    assert not Note.objects.filter(is_hidden=True).exists() and note.pk


# --- escaping -------------------------------------------------------------------------------------


def test_note_text_is_escaped_on_every_page(room, facilitator, client_for):
    phone, _ = join(room, name="<i>Eve</i>")
    post_note(phone, room, kind="next_steps", text=XSS, show_name="1")
    client = client_for(facilitator)
    pages = {
        "phone": phone.get(f"/p/{room.join_code}/notes/").content.decode(),
        "projector": client.get(f"/workshops/{room.pk}/live/projector/").content.decode(),
        "console": client.get(f"/workshops/{room.pk}/live/").content.decode(),
        "plan": client.get(f"/workshops/{room.pk}/plan/").content.decode(),
        "pdf": render_action_plan_html(room, for_pdf=True),
    }
    for where, body in pages.items():
        assert "<script>alert" not in body and "<img src=x" not in body, where
        assert "&lt;script&gt;alert" in body, where
        assert "<i>Eve</i>" not in body, where


def test_the_projector_shows_the_vote_while_a_rating_vote_is_open(room, facilitator, client_for):
    from ratings import services

    phone, _ = join(room)
    post_note(phone, room, text="On the wall")
    client = client_for(facilitator)
    assert "On the wall" in client.get(f"/workshops/{room.pk}/live/projector/").content.decode()
    services.voting_open(room, facilitator)
    body = client.get(f"/workshops/{room.pk}/live/projector/").content.decode()
    assert "On the wall" not in body and 'data-testid="voted-count"' in body
