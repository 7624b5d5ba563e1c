"""Priorities by dot-voting: three dots per phone, a live tally without names, and the
facilitator's confirmation (at most three, ties shown), through the plan's versioned save."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from actionplans.document import render_action_plan_html
from actionplans.dots import dot_place, dots_open
from actionplans.models import DomainPlan, PlanEdit
from actionplans.notes_models import Dot, LiveNotes
from actionplans.tests.notes_fixtures import domain, join, live_action
from ratings.live import participant_stamp

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(live, facilitator):
    dots_open(live, facilitator)
    return live


def place(phone, workshop, code: str, remove: bool = False):
    data = {"domain": str(domain(workshop, code).pk)}
    if remove:
        data["remove"] = "1"
    return phone.post(f"/p/{workshop.join_code}/dots/", data)


def test_opening_dot_voting_wakes_the_phones(live, facilitator, client_for):
    phone, _ = join(live)
    stamp = participant_stamp(live.pk)
    assert live_action(client_for(facilitator), live, "dots-open").status_code == 302
    body = phone.get(f"/p/{live.join_code}/poll/", {"s": stamp}).content.decode()
    # The ballot is shared by every phone in the same state: the own count is on the dots page.
    assert "Place your dots" in body and "You have placed" not in body
    assert "placed 0 of 3 dots" in phone.get(f"/p/{live.join_code}/dots/").content.decode()


def test_a_phone_places_three_dots_and_more_than_one_on_a_domain(voting):
    phone, participant = join(voting)
    for code in ("C1", "C1", "S"):
        assert place(phone, voting, code).status_code == 303
    assert sorted(Dot.objects.filter(participant=participant).values_list("slot", flat=True)) == [1, 2, 3]
    page = phone.get(f"/p/{voting.join_code}/dots/").content.decode()
    assert "You have placed 3 of 3 dots; 0 left." in page


def test_it_refuses_a_fourth_dot_with_a_message(voting):
    phone, participant = join(voting)
    for code in ("C1", "A1", "S"):
        place(phone, voting, code)
    response = place(phone, voting, "E")
    assert response.status_code == 409
    assert "You have placed all 3 dots. Take one off a domain first" in response.content.decode()
    assert Dot.objects.filter(participant=participant).count() == 3
    assert not Dot.objects.filter(domain__code="E").exists()


def test_the_database_keeps_each_phone_at_three_dots(voting):
    _, participant = join(voting)
    for slot in (1, 2, 3):
        Dot.objects.create(workshop=voting, participant=participant, domain=domain(voting, "C1"), slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dot.objects.create(workshop=voting, participant=participant, domain=domain(voting, "S"), slot=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dot.objects.create(workshop=voting, participant=participant, domain=domain(voting, "S"), slot=2)
    assert Dot.objects.filter(participant=participant).count() == 3


def test_a_phone_moves_a_dot_while_voting_is_open(voting):
    phone, participant = join(voting)
    for code in ("C1", "C1", "S"):
        place(phone, voting, code)
    assert place(phone, voting, "C1", remove=True).status_code == 303
    assert place(phone, voting, "E").status_code == 303
    codes = sorted(Dot.objects.filter(participant=participant).values_list("domain__code", flat=True))
    assert codes == ["C1", "E", "S"]


def test_it_refuses_dots_when_voting_is_closed(live):
    phone, _ = join(live)
    response = place(phone, live, "C1")
    assert response.status_code == 409 and "Choosing priorities is closed" in response.content.decode()
    assert not Dot.objects.exists()


def test_it_refuses_taking_off_a_dot_that_is_not_there(voting):
    phone, _ = join(voting)
    response = place(phone, voting, "C1", remove=True)
    assert response.status_code == 400 and "You have no dot on C1 to take off." in response.content.decode()


def test_it_refuses_a_domain_of_another_framework_or_garbage(voting):
    phone, _ = join(voting)
    assert phone.post(f"/p/{voting.join_code}/dots/", {"domain": "²"}).status_code == 400
    assert phone.post(f"/p/{voting.join_code}/dots/", {"domain": "987654"}).status_code == 400
    assert not Dot.objects.exists()


def test_the_projector_shows_the_tally_live_without_names(voting, facilitator, client_for):
    for i, codes in enumerate([("C1", "C1", "S"), ("C1", "E"), ("S",)]):
        phone, participant = join(voting, name=f"Voter{i}")
        for code in codes:
            place(phone, voting, code)
    body = client_for(facilitator).get(f"/workshops/{voting.pk}/live/projector/").content.decode()
    assert 'data-testid="dots-tally"' in body
    assert "3 people have placed 6 dots." in body
    assert 'aria-label="C1: 3 dots"' in body and 'aria-label="S: 2 dots"' in body
    assert "Voter" not in body


def test_the_facilitator_confirms_the_top_three_with_ties_shown(voting, facilitator, client_for):
    for codes in [("C1", "C1", "S"), ("C1", "E", "D"), ("S", "A1", "A2")]:
        phone, _ = join(voting)
        for code in codes:
            place(phone, voting, code)
    client = client_for(facilitator)
    console = client.get(f"/workshops/{voting.pk}/live/").content.decode()
    assert "There is a tie at the cut" in console  # C1 3, S 2, then E, D, A1, A2 with 1 each
    assert 'value="C1" id="prio-C1" checked' in console and 'value="E" id="prio-E">' in console
    response = live_action(client, voting, "priorities", domain=["C1", "S", "E"])
    assert response.status_code == 302
    chosen = DomainPlan.objects.filter(workshop=voting, is_priority=True).values_list(
        "domain__code", flat=True
    )
    assert sorted(chosen) == ["C1", "E", "S"]
    state = LiveNotes.objects.get(workshop=voting)
    assert state.priority_voters == 3 and not state.dots_open
    assert PlanEdit.objects.filter(workshop=voting, kind="plan").count() == 3  # the versioned save's trail


def test_confirming_more_than_three_is_refused_and_changes_nothing(voting, facilitator, client_for):
    response = live_action(client_for(facilitator), voting, "priorities", domain=["C1", "S", "E", "D"])
    body = response.content.decode()
    assert response.status_code == 400 and "At most 3 domains can be priorities for change" in body
    assert not DomainPlan.objects.filter(is_priority=True).exists()
    assert LiveNotes.objects.get(workshop=voting).dots_open


def test_confirming_replaces_earlier_priorities(voting, facilitator, client_for):
    client = client_for(facilitator)
    live_action(client, voting, "priorities", domain=["C1", "S", "E"])
    live_action(client, voting, "priorities", domain=["A1"])
    chosen = DomainPlan.objects.filter(workshop=voting, is_priority=True).values_list(
        "domain__code", flat=True
    )
    assert list(chosen) == ["A1"]


def test_others_cannot_run_dot_voting(live, other_facilitator, lead, client_for):
    for user in (other_facilitator, lead):
        assert live_action(client_for(user), live, "dots-open").status_code == 404
        assert live_action(client_for(user), live, "priorities", domain=["C1"]).status_code == 404
    assert not LiveNotes.objects.exists()


def test_the_plan_page_and_pdf_say_how_many_people_chose(voting, facilitator, client_for):
    for _ in range(2):
        phone, participant = join(voting)
        dot_place(participant, domain(voting, "C1").pk)
    client = client_for(facilitator)
    live_action(client, voting, "priorities", domain=["C1"])
    plan = client.get(f"/workshops/{voting.pk}/plan/").content.decode()
    assert "Priorities chosen by 2 people with dots" in plan
    pdf = render_action_plan_html(voting, for_pdf=True)
    assert "Priorities chosen by 2 people, with three dots each." in pdf
