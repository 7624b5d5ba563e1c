"""The phone's vote answered near the top of the middleware stack (ratings.fastvote)."""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError, connection
from django.test import Client

from ratings import phone_state, services
from ratings.models import Round, Vote
from ratings.tests.conftest import join_phone

pytestmark = pytest.mark.django_db

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def open_round(live_workshop, facilitator) -> Round:
    return services.voting_open(live_workshop, facilitator)


def _vote(client, workshop, rnd, level, **extra):
    return client.post(
        f"/p/{workshop.join_code}/vote/", {"round": rnd.pk, "level": level, **extra}, HTTP_HX_REQUEST="true"
    )


def _strict_phone(workshop) -> tuple[Client, str]:
    """A phone whose requests are CSRF-checked like a browser's, and the token its page holds."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/join/?code={workshop.join_code}")
    token = CSRF_RE.search(page.content.decode()).group(1)
    response = client.post(
        "/join/",
        {"csrfmiddlewaretoken": token, "code": workshop.join_code, "display_name": "", "sector": "school"},
    )
    assert response.status_code == 303
    ballot = CSRF_RE.search(client.get(response["Location"]).content.decode())
    return client, ballot.group(1) if ballot else token  # no form on the ballot until voting opens


def test_an_accepted_vote_skips_sessions_and_csp(live_workshop, phone, open_round):
    client, participant = phone
    response = _vote(client, live_workshop, open_round, "2")
    assert response.status_code == 200 and 'class="choice level-2 chosen"' in response.content.decode()
    assert "Content-Security-Policy" not in response and not response.cookies  # the full stack adds both
    assert "no-store" in response["Cache-Control"]
    assert Vote.objects.get(round=open_round, participant=participant).level == 2


def test_it_refuses_a_vote_without_the_csrf_token(live_workshop, open_round):
    client, _ = _strict_phone(live_workshop)
    response = _vote(client, live_workshop, open_round, "2")
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_it_refuses_a_vote_with_another_token(live_workshop, open_round):
    client, _ = _strict_phone(live_workshop)
    _, other_token = _strict_phone(live_workshop)  # valid, but for another phone's cookie
    response = _vote(client, live_workshop, open_round, "2", csrfmiddlewaretoken=other_token)
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_the_new_ballot_carries_the_token_that_was_checked_and_it_works_again(live_workshop, open_round):
    client, token = _strict_phone(live_workshop)
    first = _vote(client, live_workshop, open_round, "1", csrfmiddlewaretoken=token)
    assert first.status_code == 200
    handed_back = set(CSRF_RE.findall(first.content.decode()))
    assert handed_back == {token}
    second = _vote(client, live_workshop, open_round, "3", csrfmiddlewaretoken=handed_back.pop())
    assert second.status_code == 200
    assert Vote.objects.get().level == 3


def test_a_refused_vote_goes_on_to_the_view_that_says_why(live_workshop, facilitator, phone, open_round):
    client, _ = phone
    services.round_reveal(live_workshop, facilitator)
    response = _vote(client, live_workshop, open_round, "2")
    assert response.status_code == 409
    assert "closed" in response.content.decode()
    assert "Content-Security-Policy" in response  # answered by the full stack
    assert not Vote.objects.exists()


def test_an_unreachable_database_leaves_the_answer_to_the_full_stack(
    live_workshop, phone, open_round, monkeypatch
):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("ratings.fastvote.services.vote_cast", unreachable)
    monkeypatch.setattr("ratings.views.services.vote_record", unreachable)
    response = _vote(phone[0], live_workshop, open_round, "2")
    assert response.status_code == 503
    assert "your work is safe" in response.content.decode()


def test_a_vote_in_a_known_state_needs_no_cache_read(live_workshop, open_round, monkeypatch):
    """The state comes back from the vote's statement and the fragment from this process."""
    first, _ = join_phone(live_workshop)
    second, _ = join_phone(live_workshop)
    _vote(first, live_workshop, open_round, "2")  # renders and shares "voted 2"
    reads = []
    monkeypatch.setattr(phone_state.fastcache, "get", lambda key: reads.append(key))
    response = _vote(second, live_workshop, open_round, "2")
    assert response.status_code == 200 and 'class="choice level-2 chosen"' in response.content.decode()
    assert reads == []


def test_the_process_copy_of_a_fragment_is_forgotten_after_a_while(live_workshop, open_round, monkeypatch):
    client, _ = join_phone(live_workshop)
    _vote(client, live_workshop, open_round, "2")
    later = phone_state.time.monotonic() + phone_state.LOCAL_FRAGMENT_SECONDS + 1
    monkeypatch.setattr(phone_state.time, "monotonic", lambda: later)
    reads = []
    real_get = phone_state.fastcache.get
    monkeypatch.setattr(phone_state.fastcache, "get", lambda key: reads.append(key) or real_get(key))
    assert _vote(client, live_workshop, open_round, "2").status_code == 200
    assert len(reads) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.django_db(transaction=True)  # a connection reopens only outside a transaction
def test_the_prepared_statement_is_made_again_on_a_new_connection(live_workshop, phone, open_round):
    client, participant = phone
    assert _vote(client, live_workshop, open_round, "1").status_code == 200
    connection.close()  # as after CONN_MAX_AGE or a lost connection
    assert _vote(client, live_workshop, open_round, "3").status_code == 200
    assert Vote.objects.get(participant=participant).level == 3


def test_a_changed_poll_is_answered_before_the_middleware_stack(live_workshop, facilitator):
    client, _ = _strict_phone(live_workshop)
    rnd = services.voting_open(live_workshop, facilitator)
    response = client.get(f"/p/{live_workshop.join_code}/poll/", {"s": "0"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "Content-Security-Policy" not in response
    assert "no-store" in response["Cache-Control"]
    handed = CSRF_RE.search(body).group(1)  # a fresh mask of this phone's CSRF secret
    assert _vote(client, live_workshop, rnd, "2", csrfmiddlewaretoken=handed).status_code == 200
    assert Vote.objects.get().level == 2


def test_a_changed_poll_from_an_unknown_phone_is_refused_by_the_view(live_workshop, phone):
    client, participant = phone
    participant.delete()
    response = client.get(f"/p/{live_workshop.join_code}/poll/", {"s": "0"})
    assert response.status_code == 403


def test_the_early_answers_check_the_host_like_the_rest_of_the_site(live_workshop, phone, open_round):
    client, _ = phone
    poll = client.get(f"/p/{live_workshop.join_code}/poll/", {"s": "0"}, HTTP_HOST="evil.example")
    vote = client.post(
        f"/p/{live_workshop.join_code}/vote/",
        {"round": open_round.pk, "level": "2"},
        HTTP_HX_REQUEST="true",
        HTTP_HOST="evil.example",
    )
    assert poll.status_code == 400 and vote.status_code == 400
    assert not Vote.objects.exists()
