"""Taps from the phone's offline queue: numbered, so a retry never counts twice and a late
retry of an older tap never overwrites a newer choice."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from ratings import services
from ratings.models import Round, Vote
from ratings.taps import CLOCK_MESSAGE, TAP_AHEAD_MS, now_ms
from ratings.tests.conftest import join_phone

pytestmark = pytest.mark.django_db

PHONE_ID = "3f2a9c1e-8b7d-4e0a-9f6b-2c1d0e9a8b7c"
T0 = now_ms() - 60_000  # a tap number is the phone's clock in ms: a minute ago


@pytest.fixture
def open_round(live_workshop, facilitator) -> Round:
    return services.voting_open(live_workshop, facilitator)


def _tap(phone, workshop, rnd, level, seq, phone_id=PHONE_ID, htmx=True):
    """A tap as offline.js sends it (htmx: the fast path first), or as a form post (the view)."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = {"round": rnd.pk, "level": level, "tap": f"{phone_id}:{seq}"}
    return phone.post(f"/p/{workshop.join_code}/vote/", data, **headers)


def _untapped(phone, workshop, rnd, level, htmx=False):
    """A post without a tap id: the form without JavaScript (or a crafted htmx one)."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return phone.post(f"/p/{workshop.join_code}/vote/", {"round": rnd.pk, "level": level}, **headers)


def test_a_repeated_tap_counts_once(live_workshop, phone, open_round):
    client, participant = phone
    for _ in range(3):
        assert _tap(client, live_workshop, open_round, "2", T0 + 1).status_code == 200
    assert list(Vote.objects.values_list("participant", "level", "tap_seq")) == [(participant.pk, 2, T0 + 1)]


def test_a_late_retry_of_an_older_tap_never_overwrites_a_newer_choice(live_workshop, phone, open_round):
    client, _ = phone
    _tap(client, live_workshop, open_round, "1", T0 + 1)
    _tap(client, live_workshop, open_round, "3", T0 + 2)
    response = _tap(client, live_workshop, open_round, "1", T0 + 1)  # the first tap's retry, late
    assert response.status_code == 200
    assert list(Vote.objects.values_list("level", "tap_seq")) == [(3, T0 + 2)]
    assert 'value="3"' in response.content.decode() and "Your vote: <strong>3" in response.content.decode()


def test_a_newer_tap_changes_the_vote(live_workshop, phone, open_round):
    client, _ = phone
    _tap(client, live_workshop, open_round, "1", T0 + 5)
    _tap(client, live_workshop, open_round, "unsure", T0 + 6)
    assert list(Vote.objects.values_list("level", "tap_seq")) == [(None, T0 + 6)]


def test_a_tap_after_a_plain_post_still_applies(live_workshop, phone, open_round):
    client, _ = phone
    _untapped(client, live_workshop, open_round, "0")
    _tap(client, live_workshop, open_round, "2", now_ms() + 1)
    assert Vote.objects.get().level == 2


def test_it_rejects_a_tap_for_a_closed_round_and_names_the_domain(
    live_workshop, facilitator, phone, open_round
):
    client, _ = phone
    services.round_reveal(live_workshop, facilitator)
    response = _tap(client, live_workshop, open_round, "2", T0 + 9)
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
    _tap(client, live_workshop, open_round, "1", T0 + 50)
    _tap(other, live_workshop, open_round, "2", T0 + 3, phone_id="other-phone")
    assert sorted(Vote.objects.values_list("level", flat=True)) == [1, 2]


# Issue 21 "tap integrity": an untapped post and an absurd tap number must not win.


@pytest.mark.parametrize("htmx", [True, False], ids=["fast path", "view"])
@pytest.mark.parametrize("seq", [50, 999999999999999])
def test_it_rejects_a_tap_number_that_is_not_a_phone_clock(live_workshop, phone, open_round, htmx, seq):
    client, _ = phone
    response = _tap(client, live_workshop, open_round, "2", seq, htmx=htmx)
    assert response.status_code == 400
    assert escape(CLOCK_MESSAGE) in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.parametrize("htmx", [True, False], ids=["fast path", "view"])
def test_a_tap_far_ahead_of_the_server_cannot_freeze_the_phone(live_workshop, phone, open_round, htmx):
    client, _ = phone
    assert _tap(client, live_workshop, open_round, "1", T0).status_code == 200
    ahead = now_ms() + TAP_AHEAD_MS + 60_000
    assert _tap(client, live_workshop, open_round, "2", ahead, htmx=htmx).status_code == 400
    assert _tap(client, live_workshop, open_round, "3", now_ms(), htmx=htmx).status_code in (200, 302)
    assert Vote.objects.get().level == 3


@pytest.mark.parametrize("htmx", [True, False], ids=["fast path", "view"])
def test_a_late_retry_of_a_tap_made_before_a_plain_post_never_overwrites_it(
    live_workshop, phone, open_round, htmx
):
    client, _ = phone
    queued = now_ms() - 5_000  # tapped offline five seconds ago, still in the queue
    assert _untapped(client, live_workshop, open_round, "0").status_code == 302
    assert _tap(client, live_workshop, open_round, "2", queued, htmx=htmx).status_code in (200, 302)
    assert Vote.objects.get().level == 0


@pytest.mark.parametrize("htmx", [True, False], ids=["fast path", "view"])
def test_a_plain_post_replaces_a_tap_made_before_it(live_workshop, phone, open_round, htmx):
    client, _ = phone
    _tap(client, live_workshop, open_round, "2", now_ms() - 1_000)
    response = _untapped(client, live_workshop, open_round, "0", htmx=htmx)
    assert response.status_code in (200, 302)
    vote = Vote.objects.get()
    assert vote.level == 0 and vote.tap_seq >= now_ms() - 5_000  # ordered by its arrival


@pytest.mark.parametrize("htmx", [True, False], ids=["fast path", "view"])
def test_it_refuses_a_plain_post_older_than_the_newest_tap(live_workshop, phone, open_round, htmx):
    """The issue's replay: level 2 tapped, then a post without a tap id that is older than the
    tap (here the tap is numbered a minute after the post arrives) must not make it level 0."""
    client, _ = phone
    _tap(client, live_workshop, open_round, "2", now_ms() + 60_000)
    response = _untapped(client, live_workshop, open_round, "0", htmx=htmx)
    assert response.status_code == 409
    assert "A newer tap from this phone is already recorded: your vote 2 stands." in response.content.decode()
    assert Vote.objects.get().level == 2


def test_two_plain_posts_keep_the_last(live_workshop, phone, open_round):
    client, _ = phone
    for level in ("0", "1", "3", "2"):
        assert _untapped(client, live_workshop, open_round, level).status_code == 302
    assert Vote.objects.get().level == 2


def test_the_ballot_page_gives_offline_js_the_server_clock(live_workshop, phone, open_round):
    client, _ = phone
    before = now_ms()
    html = client.get(f"/p/{live_workshop.join_code}/").content.decode()
    clock = int(html.split('data-clock="', 1)[1].split('"', 1)[0])
    assert before <= clock <= now_ms()
