"""Voting from a phone: one counted vote per participant and round, changeable while open,
refused with a clear message (and nothing recorded) once voting has closed."""

from __future__ import annotations

import pytest
from django.test import Client

from ratings import services
from ratings.models import Participant, Round, Sector, Vote
from ratings.tests.conftest import join_phone

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(live_workshop, facilitator) -> Round:
    return services.voting_open(live_workshop, facilitator)


def _vote(phone, workshop, rnd, level, **headers):
    return phone.post(f"/p/{workshop.join_code}/vote/", {"round": rnd.pk, "level": level}, **headers)


def test_a_vote_is_recorded_and_shown_on_the_phone(live_workshop, phone, open_round):
    client, participant = phone
    response = _vote(client, live_workshop, open_round, "2")
    assert response.status_code == 302
    vote = Vote.objects.get()
    assert (vote.participant, vote.round, vote.level) == (participant, open_round, 2)
    page = client.get(response["Location"]).content.decode()
    assert "Your vote: <strong>2 Widespread good practice</strong>" in page


def test_a_vote_can_be_changed_while_voting_is_open(live_workshop, phone, open_round):
    client, _ = phone
    _vote(client, live_workshop, open_round, "1")
    _vote(client, live_workshop, open_round, "3")
    _vote(client, live_workshop, open_round, "unsure")
    assert list(Vote.objects.values_list("level", flat=True)) == [None]


def test_a_double_tap_never_duplicates(live_workshop, phone, open_round):
    client, _ = phone
    for _ in range(3):
        assert _vote(client, live_workshop, open_round, "2").status_code == 302
    assert Vote.objects.count() == 1


def test_htmx_gets_the_ballot_back(live_workshop, phone, open_round):
    client, _ = phone
    response = _vote(client, live_workshop, open_round, "0", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="ballot"') and "<html" not in body
    assert 'aria-pressed="true"' in body


def test_a_vote_after_the_round_closed_is_refused(live_workshop, facilitator, phone, open_round):
    client, _ = phone
    services.round_reveal(live_workshop, facilitator)
    response = _vote(client, live_workshop, open_round, "2")
    assert response.status_code == 409
    assert "closed before your vote arrived; it was not counted." in response.content.decode()
    assert not Vote.objects.exists()


def test_a_vote_for_an_earlier_round_is_refused_after_a_revote(live_workshop, facilitator, phone, open_round):
    client, _ = phone
    services.round_reveal(live_workshop, facilitator)
    second = services.voting_open(live_workshop, facilitator)
    assert second.number == 2
    assert _vote(client, live_workshop, open_round, "1").status_code == 409
    assert _vote(client, live_workshop, second, "1").status_code == 302
    assert list(Vote.objects.values_list("round__number", flat=True)) == [2]


def test_a_vote_on_a_closed_workshop_is_refused(live_workshop, facilitator, phone, open_round):
    client, _ = phone
    services.workshop_close(live_workshop, facilitator)
    response = _vote(client, live_workshop, open_round, "2")
    assert response.status_code == 409 and "This workshop has closed" in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.parametrize("level", ["4", "-1", "two", "", "9999", "²", "٣" * 2])
def test_a_level_outside_the_framework_is_refused(live_workshop, phone, open_round, level):
    client, _ = phone
    response = _vote(client, live_workshop, open_round, level)
    assert response.status_code == 400
    assert "not one of the levels" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_vote_without_a_round_is_refused(live_workshop, phone, open_round):
    client, _ = phone
    response = client.post(f"/p/{live_workshop.join_code}/vote/", {"level": "1"})
    assert response.status_code == 400 and not Vote.objects.exists()


@pytest.mark.parametrize("raw_round", ["²", "9" * 40, "-1"])
def test_a_round_that_is_not_a_plain_number_is_refused(live_workshop, phone, open_round, raw_round):
    client, _ = phone
    response = client.post(f"/p/{live_workshop.join_code}/vote/", {"round": raw_round, "level": "1"})
    assert response.status_code == 400 and "incomplete" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_vote_for_another_workshops_round_is_refused(
    live_workshop, phone, open_round, other_workshop, other_facilitator
):
    services.workshop_start(other_workshop, other_facilitator)
    foreign = services.voting_open(other_workshop, other_facilitator)
    client, _ = phone
    response = _vote(client, live_workshop, foreign, "1")
    assert response.status_code == 400 and "not for this workshop" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_phone_that_did_not_join_cannot_vote(live_workshop, open_round):
    response = _vote(Client(), live_workshop, open_round, "1")
    assert response.status_code == 403 and "Join the workshop" in response.content.decode()
    assert not Vote.objects.exists()


def test_the_vote_service_refuses_bad_levels_directly(live_workshop, open_round):
    participant = Participant.objects.create(workshop=live_workshop, sector=Sector.OTHER)
    with pytest.raises(services.LiveError) as info:
        services.vote_record(participant, open_round.pk, 7)
    assert info.value.status == 400
    services.vote_record(participant, open_round.pk, None)
    assert Vote.objects.get().level is None


def test_auto_reveal_when_everyone_has_voted(live_workshop, facilitator):
    live_workshop.auto_reveal = True
    live_workshop.save()
    phones = [join_phone(live_workshop)[0] for _ in range(3)]
    rnd = services.voting_open(live_workshop, facilitator)
    for client in phones[:2]:
        _vote(client, live_workshop, rnd, "2")
    rnd.refresh_from_db()
    assert rnd.is_open and not rnd.is_revealed
    _vote(phones[2], live_workshop, rnd, "unsure")
    rnd.refresh_from_db()
    assert not rnd.is_open and rnd.is_revealed


def test_without_auto_reveal_the_round_stays_open(live_workshop, facilitator, phone):
    client, _ = phone
    rnd = services.voting_open(live_workshop, facilitator)
    _vote(client, live_workshop, rnd, "2")
    rnd.refresh_from_db()
    assert rnd.is_open and not rnd.is_revealed
