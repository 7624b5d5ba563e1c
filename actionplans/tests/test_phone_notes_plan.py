"""The plan page uses the room's notes: one click appends a note to its box through the
versioned save (nothing overwritten), a next-steps note becomes an action item, and each
note shows whether it was used."""

from __future__ import annotations

import pytest

from actionplans.models import ActionItem, DomainPlan, PlanEdit
from actionplans.notes_models import Note
from actionplans.notes_services import notes_open
from actionplans.tests.conftest import add_plan, plan_post
from actionplans.tests.notes_fixtures import domain, join, post_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def noted(live, facilitator):
    notes_open(live, facilitator, None)
    phone, _ = join(live)
    post_note(phone, live, kind="working_well", text="Named school leads")
    post_note(phone, live, kind="next_steps", text="Train two staff per school")
    return live


def use(client, workshop, note: Note, how: str, **headers):
    return client.post(f"/workshops/{workshop.pk}/plan/notes/{note.pk}/{how}/", **headers)


def test_the_plan_page_shows_each_domains_notes_beside_its_boxes(noted, facilitator, client_for):
    body = client_for(facilitator).get(f"/workshops/{noted.pk}/plan/").content.decode()
    assert "Notes from phones for C1" in body
    assert "Named school leads" in body and "Add to “What is working well”" in body
    assert "Make an action" in body


def test_one_click_appends_a_note_to_its_box_without_overwriting(noted, facilitator, client_for):
    add_plan(noted, "C1", working_well="Already written")
    note = Note.objects.get(text="Named school leads")
    response = use(client_for(facilitator), noted, note, "box")
    assert response.status_code == 302 and response["Location"].endswith("#domain-C1")
    plan = DomainPlan.objects.get(workshop=noted, domain__code="C1")
    assert plan.working_well == "Already written\nNamed school leads" and plan.version == 2
    assert PlanEdit.objects.get(workshop=noted).changes["working_well"][1].endswith("Named school leads")
    note.refresh_from_db()
    assert note.used_as == "box"
    page = client_for(facilitator).get(f"/workshops/{noted.pk}/plan/").content.decode()
    assert "Used: added to the plan&#x27;s text" in page


def test_a_stale_plan_form_after_an_append_shows_a_conflict_not_an_overwrite(noted, facilitator, client_for):
    client = client_for(facilitator)
    c1 = domain(noted, "C1")
    use(client, noted, Note.objects.get(text="Named school leads"), "box")
    response = client.post(
        f"/workshops/{noted.pk}/plan/domain/C1/", plan_post(c1.pk, version=0, working_well="Typed meanwhile")
    )
    assert response.status_code == 200 and "Named school leads" in response.content.decode()
    assert DomainPlan.objects.get(workshop=noted, domain=c1).working_well == "Named school leads"


def test_appending_twice_is_refused(noted, facilitator, client_for):
    client = client_for(facilitator)
    note = Note.objects.get(text="Named school leads")
    use(client, noted, note, "box")
    response = use(client, noted, note, "box")
    assert response.status_code == 409 and "already in the plan" in response.content.decode()
    assert DomainPlan.objects.get(workshop=noted, domain__code="C1").working_well == "Named school leads"


def test_a_next_steps_note_becomes_an_action_item(noted, facilitator, client_for):
    note = Note.objects.get(text="Train two staff per school")
    response = use(client_for(facilitator), noted, note, "item", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card mb-4 plan-domain" id="domain-C1"')
    assert "fill in its owner and due date" in body
    item = ActionItem.objects.get(workshop=noted)
    assert (item.description, item.owner_name, item.due_date, item.domain.code) == (
        "Train two staff per school",
        "",
        None,
        "C1",
    )
    note.refresh_from_db()
    assert note.used_as == "item" and note.action_item == item


def test_only_next_steps_notes_become_action_items(noted, facilitator, client_for):
    note = Note.objects.get(text="Named school leads")
    assert use(client_for(facilitator), noted, note, "item").status_code == 400
    assert not ActionItem.objects.exists()


def test_leads_of_a_live_workshop_cannot_use_notes_and_others_get_404(
    noted, lead, other_facilitator, client_for
):
    note = Note.objects.get(text="Named school leads")
    assert use(client_for(lead), noted, note, "box").status_code == 403
    assert use(client_for(other_facilitator), noted, note, "box").status_code == 404
    note.refresh_from_db()
    assert note.used_as == "" and not DomainPlan.objects.exists()


def test_a_hidden_note_cannot_be_used(noted, facilitator, client_for):
    note = Note.objects.get(text="Named school leads")
    Note.objects.filter(pk=note.pk).update(is_hidden=True)
    assert use(client_for(facilitator), noted, note, "box").status_code == 404
    assert not DomainPlan.objects.exists()


def test_an_author_cannot_change_a_note_the_plan_used(noted, facilitator, client_for):
    phone, _ = join(noted)
    post_note(phone, noted, kind="challenges", text="Long waits")
    note = Note.objects.get(text="Long waits")
    use(client_for(facilitator), noted, note, "box")
    url = f"/p/{noted.join_code}/notes/{note.pk}/"
    assert phone.post(url, {"text": "Changed", "domain": "C1"}).status_code == 409
    assert phone.post(url, {"delete": "1", "domain": "C1"}).status_code == 409
    note.refresh_from_db()
    assert note.text == "Long waits"
