"""Polling: phones and the projector ask every 2 s; an unchanged answer costs one query.
Also the query counts of the poll, vote and projector views at 5 and 200 participants."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ratings import services
from ratings.identity import poll_token
from ratings.live import participant_stamp, staff_stamp
from ratings.models import Participant, Round, Sector, Vote
from ratings.tests.conftest import join_phone

pytestmark = pytest.mark.django_db

SECTORS = [Sector.SCHOOL, Sector.NHS_CYPMHS, Sector.LOCAL_AUTHORITY, Sector.OTHER]


def _crowd(workshop, rnd: Round | None, n: int) -> None:
    """n participants, each with a vote in `rnd` if given."""
    people = Participant.objects.bulk_create(
        Participant(workshop=workshop, sector=SECTORS[i % 4], token=f"t{workshop.pk}-{i}-{n}")
        for i in range(n)
    )
    if rnd is not None:
        Vote.objects.bulk_create(Vote(round=rnd, participant=p, level=i % 4) for i, p in enumerate(people))


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _staff_poll(client, workshop, stamp, view="projector", user=None):
    token = poll_token(workshop.pk, user.pk)
    return client.get(f"/workshops/{workshop.pk}/live/poll/", {"view": view, "t": token, "s": stamp})


# ------------------------------------------------------------------ phones


def test_an_unchanged_phone_poll_answers_204_in_one_query(live_workshop, phone, django_assert_num_queries):
    client, _ = phone
    stamp = participant_stamp(live_workshop.pk)
    with django_assert_num_queries(1):
        response = client.get(f"/p/{live_workshop.join_code}/poll/", {"s": stamp})
    assert response.status_code == 204 and response.content == b""


def test_a_phone_poll_after_the_facilitator_acts_returns_the_new_ballot(live_workshop, facilitator, phone):
    client, _ = phone
    stamp = participant_stamp(live_workshop.pk)
    services.voting_open(live_workshop, facilitator)
    response = client.get(f"/p/{live_workshop.join_code}/poll/", {"s": stamp})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="level" value="3"' in body and f"?s={participant_stamp(live_workshop.pk)}" in body


def test_phones_move_on_when_the_facilitator_moves_on(live_workshop, facilitator, phone):
    client, _ = phone
    stamp = participant_stamp(live_workshop.pk)
    services.domain_next(live_workshop, facilitator)
    body = client.get(f"/p/{live_workshop.join_code}/poll/", {"s": stamp}).content.decode()
    assert "A1 · Agreed point of contact" in body


def test_votes_do_not_wake_every_phone(live_workshop, facilitator, phone):
    """A vote changes the projector's count, not the phones' state version."""
    client, participant = phone
    rnd = services.voting_open(live_workshop, facilitator)
    stamp = participant_stamp(live_workshop.pk)
    services.vote_record(participant, rnd.pk, 2)
    assert client.get(f"/p/{live_workshop.join_code}/poll/", {"s": stamp}).status_code == 204


def test_a_phone_poll_without_the_cookie_is_403(live_workshop):
    assert Client().get(f"/p/{live_workshop.join_code}/poll/", {"s": "0"}).status_code == 403


# ------------------------------------------------------------------ console and projector


def test_an_unchanged_projector_poll_answers_204_in_one_query(
    live_workshop, facilitator, client_for, django_assert_num_queries
):
    client = client_for(facilitator)
    stamp = staff_stamp(live_workshop.pk)
    with django_assert_num_queries(1):
        response = _staff_poll(client, live_workshop, stamp, user=facilitator)
    assert response.status_code == 204


def test_a_new_vote_reaches_the_projector(live_workshop, facilitator, client_for, phone):
    client = client_for(facilitator)
    rnd = services.voting_open(live_workshop, facilitator)
    stamp = staff_stamp(live_workshop.pk)
    services.vote_record(phone[1], rnd.pk, 1)
    response = _staff_poll(client, live_workshop, stamp, user=facilitator)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<strong data-testid="voted-count">1</strong> of 1 voted' in body
    assert body.lstrip().startswith('<div id="stage"')


def test_a_join_reaches_the_projector(live_workshop, facilitator, client_for):
    client = client_for(facilitator)
    stamp = staff_stamp(live_workshop.pk)
    join_phone(live_workshop)
    assert _staff_poll(client, live_workshop, stamp, user=facilitator).status_code == 200


def test_the_console_reloads_when_the_state_changes_and_swaps_counts_otherwise(
    live_workshop, facilitator, client_for, phone
):
    client = client_for(facilitator)
    stamp = staff_stamp(live_workshop.pk)
    rnd = services.voting_open(live_workshop, facilitator)
    response = _staff_poll(client, live_workshop, stamp, view="console", user=facilitator)
    assert response["HX-Refresh"] == "true"
    stamp = staff_stamp(live_workshop.pk)
    services.vote_record(phone[1], rnd.pk, 1)
    response = _staff_poll(client, live_workshop, stamp, view="console", user=facilitator)
    assert "HX-Refresh" not in response and 'id="live-counts"' in response.content.decode()


def test_a_poll_without_a_valid_token_is_403(live_workshop, facilitator, client_for):
    client = client_for(facilitator)
    url = f"/workshops/{live_workshop.pk}/live/poll/"
    assert client.get(url, {"t": "forged", "s": "x"}).status_code == 403
    # A token for another workshop does not open this one.
    other = poll_token(live_workshop.pk + 1, facilitator.pk)
    assert client.get(url, {"t": other, "s": "x"}).status_code == 403


def test_a_changed_poll_checks_the_user_in_full(live_workshop, facilitator, other_facilitator, client_for):
    token_holder = client_for(other_facilitator)  # e.g. a stolen token
    response = _staff_poll(token_holder, live_workshop, "stale", user=facilitator)
    assert response.status_code == 404
    assert _staff_poll(Client(), live_workshop, "stale", user=facilitator).status_code == 403


# ------------------------------------------------------------------ query counts do not grow


@pytest.mark.parametrize("revealed", [False, True])
def test_projector_console_and_poll_queries_do_not_grow_with_participants(
    live_workshop, facilitator, client_for, revealed
):
    client = client_for(facilitator)
    counts = {}
    for n in (5, 200):
        Round.objects.all().delete()
        Participant.objects.all().delete()
        rnd = services.voting_open(live_workshop, facilitator)
        _crowd(live_workshop, rnd, n)
        if revealed:
            services.round_reveal(live_workshop, facilitator)
        counts[n] = (
            _count(lambda: client.get(f"/workshops/{live_workshop.pk}/live/projector/")),
            _count(lambda: client.get(f"/workshops/{live_workshop.pk}/live/")),
            _count(lambda: _staff_poll(client, live_workshop, "old", user=facilitator)),
            _count(
                lambda: _staff_poll(client, live_workshop, staff_stamp(live_workshop.pk), user=facilitator)
            ),
        )
        assert client.get(f"/workshops/{live_workshop.pk}/live/projector/").status_code == 200
    assert counts[5] == counts[200], counts
    assert counts[5][3] == 2


def _phone_counts(workshop, phone, rnd) -> tuple[int, ...]:
    vote_url = f"/p/{workshop.join_code}/vote/"
    poll_url = f"/p/{workshop.join_code}/poll/"
    stamp = participant_stamp(workshop.pk)
    counts = (
        _count(lambda: phone.post(vote_url, {"round": rnd.pk, "level": "2"})),
        _count(lambda: phone.post(vote_url, {"round": rnd.pk, "level": "1"}, HTTP_HX_REQUEST="true")),
    )
    phone.get(poll_url, {"s": stamp})  # the room's polls keep the state version in the cache
    return counts + (
        _count(lambda: phone.get(poll_url, {"s": stamp})),
        _count(lambda: phone.get(poll_url, {"s": "old"})),
        _count(lambda: phone.get(f"/p/{workshop.join_code}/")),
    )


def test_vote_and_phone_poll_queries_do_not_grow_with_participants(live_workshop, facilitator):
    counts = {}
    for n in (5, 200):
        Round.objects.all().delete()
        Participant.objects.all().delete()
        rnd = services.voting_open(live_workshop, facilitator)
        _crowd(live_workshop, rnd, n - 1)
        phone, _ = join_phone(live_workshop)
        counts[n] = _phone_counts(live_workshop, phone, rnd)
        assert Vote.objects.filter(round=rnd).count() == n
    assert counts[5] == counts[200], counts
    assert counts[5][2] == 0  # the unchanged poll is answered from the cached state version
