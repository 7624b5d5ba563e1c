"""Each phone against its room: after a reveal, the phone privately shows its own vote beside
the room's result, with only the figures the projector shows."""

from __future__ import annotations

import pytest

from ratings import services
from ratings.live import staff_stage
from ratings.models import Participant, Sector, Vote
from ratings.tests.conftest import join_phone
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

LINE = "You said 2; the suggestion is 1: 8 of 10 say 1 or above, 3 of 10 say 2 or above."


def _room(workshop, rnd, levels):
    """Other people's votes, straight into the round."""
    for level in levels:
        p = Participant.objects.create(workshop=workshop, sector=Sector.SCHOOL)
        Vote.objects.create(round=rnd, participant=p, level=level)


def _ballot(client, workshop) -> str:
    return client.get(f"/p/{workshop.join_code}/").content.decode()


@pytest.fixture
def revealed(live_workshop, facilitator):
    """A phone that voted 2 among ten votes (3 at 2, 5 at 1, 2 at 0), and a second phone
    that voted 0; voting still open."""
    client, participant = join_phone(live_workshop)
    other, _ = join_phone(live_workshop)
    rnd = services.voting_open(live_workshop, facilitator)
    client.post(f"/p/{live_workshop.join_code}/vote/", {"round": rnd.pk, "level": "2"})
    other.post(f"/p/{live_workshop.join_code}/vote/", {"round": rnd.pk, "level": "0"})
    _room(live_workshop, rnd, [2, 2, 1, 1, 1, 1, 1, 0])
    return client, other, rnd


def test_nothing_is_compared_before_the_reveal(live_workshop, facilitator, revealed):
    client, _other, _rnd = revealed
    assert "the suggestion is" not in _ballot(client, live_workshop)
    services.round_reveal(live_workshop, facilitator)
    assert LINE in _ballot(client, live_workshop)


def test_each_phone_sees_its_own_vote_only(live_workshop, facilitator, revealed):
    client, other, _rnd = revealed
    services.round_reveal(live_workshop, facilitator)
    mine, theirs = _ballot(client, live_workshop), _ballot(other, live_workshop)
    assert LINE in mine and "You said 0" not in mine
    assert "You said 0; the suggestion is 1: 8 of 10 say 1 or above, 10 of 10 say 0 or above." in theirs
    assert "You said 2" not in theirs
    assert "Only this phone sees this line." in mine
    # The screen-reader summary carries the same line.
    assert f'Voting closed on C1. {LINE}"' in mine


def test_the_figures_are_the_projectors(live_workshop, facilitator, revealed):
    client, _other, rnd = revealed
    services.round_reveal(live_workshop, facilitator)
    services.hands_record(live_workshop, facilitator, rnd.pk, {0: 0, 1: 2, 2: 0, 3: 0})
    stage = staff_stage(Workshop.objects.get(pk=live_workshop.pk))
    assert stage.summary.counts == (2, 7, 3, 0) and stage.summary.suggestion == 1
    assert "You said 2; the suggestion is 1: 10 of 12 say 1 or above, 3 of 12 say 2 or above." in _ballot(
        client, live_workshop
    )


def test_a_phone_that_did_not_vote_sees_the_room_only(live_workshop, facilitator, revealed):
    late, _ = join_phone(live_workshop)
    services.round_reveal(live_workshop, facilitator)
    assert "You did not vote; the suggestion is 1: 8 of 10 say 1 or above." in _ballot(late, live_workshop)


def test_a_new_round_hides_the_comparison_again(live_workshop, facilitator, revealed):
    client, _other, _rnd = revealed
    services.round_reveal(live_workshop, facilitator)
    services.voting_open(live_workshop, facilitator)
    page = _ballot(client, live_workshop)
    assert "the suggestion is" not in page and "Round 2" in page


def test_re_rating_at_a_follow_up_stays_blind(workshop, follow_up, facilitator):
    services.workshop_start(workshop, facilitator)
    for domain in workshop.framework.domains.all():
        services.consensus_confirm(workshop, facilitator, domain.pk, 3, "agreed")
    services.workshop_start(follow_up, facilitator)
    follow_up.refresh_from_db()
    client, _ = join_phone(follow_up)
    rnd = services.voting_open(follow_up, facilitator)
    client.post(f"/p/{follow_up.join_code}/vote/", {"round": rnd.pk, "level": "1"})
    voting = _ballot(client, follow_up)
    assert "suggestion" not in voting and "previous" not in voting.lower()
    services.round_reveal(follow_up, facilitator)
    page = _ballot(client, follow_up)
    assert "You said 1; the suggestion is 1: 1 of 1 say 1 or above." in page
    # Nothing of the baseline's agreed level (3 Gold standard) reaches the phone.
    assert "previous" not in page.lower() and "Gold standard" not in page
