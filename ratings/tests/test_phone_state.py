"""The phones' hot path: the cached state version, the shared ballot fragment, the cheap vote."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratings import services
from ratings.live import participant_stamp
from ratings.models import Vote
from ratings.phone_state import state_version
from ratings.tests.conftest import join_phone

pytestmark = pytest.mark.django_db


def _poll(client, workshop, stamp):
    return client.get(f"/p/{workshop.join_code}/poll/", {"s": stamp})


def test_an_unchanged_poll_on_a_warm_cache_touches_no_database(
    live_workshop, phone, django_assert_num_queries
):
    client, _ = phone
    stamp = participant_stamp(live_workshop.pk)
    assert _poll(client, live_workshop, stamp).status_code == 204  # fills the cache
    with django_assert_num_queries(0):
        response = _poll(client, live_workshop, stamp)
    assert response.status_code == 204 and response.content == b""
    assert "no-store" in response["Cache-Control"]


def test_the_unchanged_answer_skips_sessions_and_csrf(live_workshop, phone):
    """Answered before the session, CSRF and CSP middleware: no cookie is set or refreshed."""
    client, _ = phone
    stamp = participant_stamp(live_workshop.pk)
    _poll(client, live_workshop, stamp)
    response = _poll(client, live_workshop, stamp)
    assert response.status_code == 204
    assert not response.cookies and "Content-Security-Policy" not in response


def test_the_fast_answer_still_needs_the_phones_cookie(live_workshop, phone, client):
    stamp = participant_stamp(live_workshop.pk)
    _poll(phone[0], live_workshop, stamp)  # warm
    assert _poll(client, live_workshop, stamp).status_code == 403


def _act(action, workshop, facilitator, domains):
    if action == "open":
        services.voting_open(workshop, facilitator)
    elif action == "reveal":
        services.round_reveal(workshop, facilitator)
    elif action == "hands":
        rnd = services.latest_round(workshop.pk, workshop.current_domain_id)
        services.hands_record(workshop, facilitator, rnd.pk, {1: 3})
    elif action == "confirm":
        services.consensus_confirm(workshop, facilitator, workshop.current_domain_id, 2, "Agreed")
    elif action == "go":
        services.domain_go(workshop, facilitator, domains[3].pk)
    elif action == "next":
        services.domain_next(workshop, facilitator)
    elif action == "close":
        services.workshop_close(workshop, facilitator)
    workshop.refresh_from_db()


@pytest.mark.parametrize("action", ["open", "reveal", "hands", "confirm", "go", "next", "close"])
def test_every_facilitator_action_reaches_phones_polling_from_the_cache(
    live_workshop, facilitator, phone, action
):
    client, _ = phone
    domains = list(live_workshop.framework.domains.all())
    if action in {"reveal", "hands"}:
        services.voting_open(live_workshop, facilitator)
    live_workshop.refresh_from_db()
    stamp = participant_stamp(live_workshop.pk)
    assert _poll(client, live_workshop, stamp).status_code == 204  # the version is now cached
    _act(action, live_workshop, facilitator, domains)
    response = _poll(client, live_workshop, stamp)
    assert response.status_code == 200, action
    assert f"?s={participant_stamp(live_workshop.pk)}" in response.content.decode()


def test_the_cached_version_is_forgotten_again_when_the_action_commits(
    live_workshop, facilitator, django_capture_on_commit_callbacks
):
    """A poll that read the old version just before the commit cannot keep it in the cache."""
    old = state_version(live_workshop.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.voting_open(live_workshop, facilitator)
        cache.set(f"ratings:phone-state:{live_workshop.pk}", f"{old}:")  # a racing poll's refill
    assert state_version(live_workshop.pk) == old + 1


def test_a_poll_that_read_before_the_commit_and_caches_after_it_cannot_keep_the_old_version(
    live_workshop, facilitator, django_capture_on_commit_callbacks
):
    """The poll's read raced the commit and its `add` came after the commit's clean-up: with a
    delete alone the old version stayed for VERSION_TTL (the reveal reached phones 3 s late)."""
    old = state_version(live_workshop.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.voting_open(live_workshop, facilitator)
    cache.add(f"ratings:phone-state:{live_workshop.pk}", f"{old}:", 3)  # the late refill
    assert state_version(live_workshop.pk) == old + 1


def test_phones_in_one_state_share_the_fragment_but_see_their_own_vote(live_workshop, facilitator):
    rnd = services.voting_open(live_workshop, facilitator)
    (a, pa), (b, _pb), (c, pc) = (join_phone(live_workshop) for _ in range(3))
    services.vote_record(pa, rnd.pk, 2)
    services.vote_record(pc, rnd.pk, 2)
    services.round_reveal(live_workshop, facilitator)
    stamp = "0"
    pages = [_poll(p, live_workshop, stamp).content.decode() for p in (a, b, c)]
    assert "Your vote: <strong>2" in pages[0] and "Your vote" not in pages[1]
    with CaptureQueriesContext(connection) as queries:
        again = _poll(c, live_workshop, stamp).content.decode()
    assert len(queries) == 1  # who the phone is and its vote; the fragment comes from the cache
    assert again == pages[2] == pages[0]  # voting has closed: no form, so no per-request token


def test_a_shared_fragment_carries_this_requests_csrf_token(live_workshop, facilitator):
    services.voting_open(live_workshop, facilitator)
    (a, _), (b, _) = join_phone(live_workshop), join_phone(live_workshop)
    pages = [_poll(p, live_workshop, "0").content.decode() for p in (a, b)]
    for page in pages:
        assert 'name="csrfmiddlewaretoken" value="' in page and "csrf-token-of-this-request" not in page
    vote = b.post(
        f"/p/{live_workshop.join_code}/vote/",
        {
            "round": services.latest_round(live_workshop.pk, live_workshop.current_domain_id).pk,
            "level": "1",
            "csrfmiddlewaretoken": pages[1].split('name="csrfmiddlewaretoken" value="')[1].split('"')[0],
        },
        HTTP_HX_REQUEST="true",
    )
    assert vote.status_code == 200


def test_an_htmx_vote_on_a_warm_cache_is_one_statement(live_workshop, facilitator, phone):
    client, participant = phone
    rnd = services.voting_open(live_workshop, facilitator)
    other, _ = join_phone(live_workshop)
    url = f"/p/{live_workshop.join_code}/vote/"
    other.post(url, {"round": rnd.pk, "level": "3"}, HTTP_HX_REQUEST="true")  # renders "voted 3"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"round": rnd.pk, "level": "3"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'class="choice level-3 chosen"' in body
    # one statement finds the participant, checks the round and upserts: no ballot re-read
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    assert Vote.objects.get(round=rnd, participant=participant).level == 3


@pytest.fixture
def redis_cache(settings):
    """Django's RedisCache at REDIS_URL (skipped without one), cleared before and after."""
    import os

    from django.core.cache import caches

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("set REDIS_URL to test the shared cache")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def test_on_redis_the_hot_path_reads_what_django_wrote(redis_cache, live_workshop, facilitator, phone):
    from ratings.phone_state import phone_state

    client, _ = phone
    rnd = services.voting_open(live_workshop, facilitator)
    stamp = participant_stamp(live_workshop.pk)
    assert phone_state(live_workshop.pk) == (int(stamp), rnd.pk)  # filled by one query
    assert redis_cache.get(f"ratings:phone-state:{live_workshop.pk}") == f"{stamp}:{rnd.pk}"
    assert _poll(client, live_workshop, stamp).status_code == 204
    services.round_reveal(live_workshop, facilitator)
    assert redis_cache.get(f"ratings:phone-state:{live_workshop.pk}") is None  # forgotten
    assert _poll(client, live_workshop, stamp).status_code == 200
