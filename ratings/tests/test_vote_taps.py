"""Taps from the phone's offline queue: numbered, so a retry never counts twice and a late
retry of an older tap never overwrites a newer choice."""

from __future__ import annotations

import pytest

from ratings import services
from ratings.models import Round, Vote
from ratings.tests.conftest import join_phone

pytestmark = pytest.mark.django_db

PHONE_ID = "3f2a9c1e-8b7d-4e0a-9f6b-2c1d0e9a8b7c"


@pytest.fixture
def open_round(live_workshop, facilitator) -> Round:
    return services.voting_open(live_workshop, facilitator)


def _tap(phone, workshop, rnd, level, seq, phone_id=PHONE_ID):
    return phone.post(
        f"/p/{workshop.join_code}/vote/",
        {"round": rnd.pk, "level": level, "tap": f"{phone_id}:{seq}"},
        HTTP_HX_REQUEST="true",
    )


def test_a_repeated_tap_counts_once(live_workshop, phone, open_round):
    client, participant = phone
    for _ in range(3):
        assert _tap(client, live_workshop, open_round, "2", 1001).status_code == 200
    assert list(Vote.objects.values_list("participant", "level", "tap_seq")) == [(participant.pk, 2, 1001)]


def test_a_late_retry_of_an_older_tap_never_overwrites_a_newer_choice(live_workshop, phone, open_round):
    client, _ = phone
    _tap(client, live_workshop, open_round, "1", 1001)
    _tap(client, live_workshop, open_round, "3", 1002)
    response = _tap(client, live_workshop, open_round, "1", 1001)  # the first tap's retry, late
    assert response.status_code == 200
    assert list(Vote.objects.values_list("level", "tap_seq")) == [(3, 1002)]
    assert 'value="3"' in response.content.decode() and "Your vote: <strong>3" in response.content.decode()


def test_a_newer_tap_changes_the_vote(live_workshop, phone, open_round):
    client, _ = phone
    _tap(client, live_workshop, open_round, "1", 5)
    _tap(client, live_workshop, open_round, "unsure", 6)
    assert list(Vote.objects.values_list("level", "tap_seq")) == [(None, 6)]


def test_a_tap_after_a_plain_post_still_applies(live_workshop, phone, open_round):
    client, _ = phone
    client.post(f"/p/{live_workshop.join_code}/vote/", {"round": open_round.pk, "level": "0"})
    _tap(client, live_workshop, open_round, "2", 7)
    assert Vote.objects.get().level == 2


def test_it_rejects_a_tap_for_a_closed_round_and_names_the_domain(
    live_workshop, facilitator, phone, open_round
):
    client, _ = phone
    services.round_reveal(live_workshop, facilitator)
    response = _tap(client, live_workshop, open_round, "2", 9)
    assert response.status_code == 409
    title = live_workshop.current_domain.short_title
    assert (
        f"Voting on {title} closed before your vote arrived; it was not counted." in response.content.decode()
    )
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    "tap", ["nocolon", ":12", "id:", "id:12a", "id:1234567890123456", "x" * 41 + ":1", "a b:1"]
)
def test_it_rejects_a_malformed_tap_id(live_workshop, phone, open_round, tap):
    client, _ = phone
    response = client.post(
        f"/p/{live_workshop.join_code}/vote/", {"round": open_round.pk, "level": "2", "tap": tap}
    )
    assert response.status_code == 400
    assert not Vote.objects.exists()


def test_taps_of_two_phones_are_independent(live_workshop, phone, open_round):
    client, _ = phone
    other, _ = join_phone(live_workshop)
    _tap(client, live_workshop, open_round, "1", 50)
    _tap(other, live_workshop, open_round, "2", 3, phone_id="other-phone")
    assert sorted(Vote.objects.values_list("level", flat=True)) == [1, 2]
