"""Presence: "N of M voted" counts the phones seen in the last 30 s, from the cache."""

from __future__ import annotations

import time

import pytest

from ratings import presence, services
from ratings.live import staff_stage, staff_stamp
from ratings.tests.conftest import join_phone

pytestmark = pytest.mark.django_db


def test_a_phone_seen_recently_is_present_and_drops_out_after_thirty_seconds():
    now = time.time()
    presence.mark_seen(1, 10, now=now - 40)
    presence.mark_seen(1, 11, now=now - 5)
    presence.mark_seen(2, 12, now=now)
    assert presence.present_ids(1, among=[10, 11], now=now) == {11}
    assert presence.present_count(2, now=now) == 1


def test_a_poll_marks_the_phone_present_without_a_database_write(
    live_workshop, phone, django_assert_num_queries
):
    client, participant = phone
    presence.forget(live_workshop.pk, participant.pk)
    stamp = str(live_workshop.state_version)
    with django_assert_num_queries(1):  # the stamp read only: presence is in the cache
        response = client.get(f"/p/{live_workshop.join_code}/poll/", {"s": stamp})
    assert response.status_code == 204
    assert presence.present_ids(live_workshop.pk, among=[participant.pk]) == {participant.pk}


def test_the_console_counts_phones_here_now_and_joined_separately(live_workshop, facilitator):
    phones = [join_phone(live_workshop) for _ in range(3)]
    presence.forget(live_workshop.pk, phones[2][1].pk)  # this phone left the hall
    stage = staff_stage(live_workshop)
    assert (stage.joined, stage.present) == (3, 2)


def test_the_stamp_changes_when_a_phone_arrives(live_workshop):
    before = staff_stamp(live_workshop.pk)
    _, participant = join_phone(live_workshop)
    presence.forget(live_workshop.pk, participant.pk)
    after_join = staff_stamp(live_workshop.pk)
    presence.mark_seen(live_workshop.pk, participant.pk)
    assert len({before, after_join, staff_stamp(live_workshop.pk)}) == 3


def test_auto_reveal_waits_only_for_the_phones_in_the_room(live_workshop, facilitator):
    live_workshop.auto_reveal = True
    live_workshop.save()
    phones = [join_phone(live_workshop) for _ in range(3)]
    presence.forget(live_workshop.pk, phones[2][1].pk)  # left before voting
    rnd = services.voting_open(live_workshop, facilitator)
    for client, _ in phones[:2]:
        client.post(f"/p/{live_workshop.join_code}/vote/", {"round": rnd.pk, "level": "2"})
    rnd.refresh_from_db()
    assert rnd.is_revealed and not rnd.is_open


def test_auto_reveal_waits_for_a_present_phone_that_has_not_voted(live_workshop, facilitator):
    live_workshop.auto_reveal = True
    live_workshop.save()
    phones = [join_phone(live_workshop) for _ in range(2)]
    rnd = services.voting_open(live_workshop, facilitator)
    phones[0][0].post(f"/p/{live_workshop.join_code}/vote/", {"round": rnd.pk, "level": "2"})
    rnd.refresh_from_db()
    assert rnd.is_open


def test_the_hot_path_marks_a_phone_once_per_window_in_the_shared_cache(settings):
    """With Redis (CI's PostgreSQL pass), the poll's cache.add goes through fastcache."""
    from django.core.cache import cache, caches
    from django.core.cache.backends.redis import RedisCache

    from ratings import fastcache

    if not isinstance(caches["default"], RedisCache):
        pytest.skip("REDIS_URL is not set: the shared cache's hot path is not in use")
    cache.clear()
    assert fastcache.add("presence-test", True, 30) is True
    assert fastcache.add("presence-test", True, 30) is False
    assert fastcache.get("presence-test") is True and cache.get("presence-test") is True
    now = time.time()
    presence.mark_seen(77, 1, now=now)
    presence.mark_seen(77, 1, now=now)
    presence.mark_seen(77, 2, now=now)
    assert presence.present_count(77, now=now) == 2
    assert presence.present_ids(77, among=[1, 2, 3], now=now) == {1, 2}
