"""A hall's bad Wi-Fi in Chromium's offline mode: a tap is never lost without a word.

Each test joins one phone through the join form, then cuts its connection with
`context.set_offline(True)` (or answers its vote with a server error) and checks what the
phone says and what the server recorded.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ratings import services
from ratings.models import Vote
from ratings.taps import now_ms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def room(workshop, facilitator):
    services.workshop_start(workshop, facilitator)
    workshop.refresh_from_db()
    rnd = services.voting_open(workshop, facilitator)
    return workshop, rnd


def _join(phone_page, live_server, workshop):
    phone_page.goto(f"{live_server.url}/join/?code={workshop.join_code}")
    phone_page.locator("input[name=sector][value=school]").check()
    phone_page.get_by_role("button", name="Join").click()
    expect(phone_page.locator("form[data-vote]")).to_be_visible()
    # Until offline.js has run, a tap is a plain form post (what a phone without JavaScript does).
    expect(phone_page.locator("[data-vote-queue][data-queue-ready]")).to_have_count(1)


def _tap(phone_page, level: str):
    phone_page.locator(f"form[data-vote] button[name=level][value='{level}']").click()


def _stop(phone_page):
    phone_page.context.set_offline(False)
    phone_page.goto("about:blank")  # stop polling before the test database goes away


def test_a_tap_made_offline_is_sent_when_back_online_and_counted_once(phone_page, live_server, room):
    workshop, rnd = room
    _join(phone_page, live_server, workshop)
    phone_page.context.set_offline(True)
    _tap(phone_page, "2")
    status = phone_page.locator(".vote-status")
    expect(status).to_contain_text("Not sent yet: no connection, will retry")
    expect(status).to_contain_text("2 ")
    chosen = phone_page.locator("button[name=level][value='2']")
    expect(chosen).to_have_attribute("aria-pressed", "true")
    expect(chosen.locator(".choice-state")).to_have_text("Not sent yet")  # also where the eye is
    assert not Vote.objects.exists()
    phone_page.context.set_offline(False)
    expect(status).to_contain_text("Saved. Your vote: 2", timeout=8_000)
    assert list(Vote.objects.values_list("round", "level")) == [(rnd.pk, 2)]
    _stop(phone_page)


def test_a_tap_kept_across_a_reload_is_sent_once(phone_page, live_server, room):
    workshop, _ = room
    _join(phone_page, live_server, workshop)
    phone_page.route("**/vote/", lambda route: route.abort("internetdisconnected"))
    _tap(phone_page, "1")
    expect(phone_page.locator(".vote-status")).to_contain_text("Not sent yet")
    phone_page.reload()
    expect(phone_page.locator(".vote-status")).to_contain_text("Not sent yet", timeout=8_000)
    phone_page.unroute("**/vote/")
    phone_page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(phone_page.locator(".vote-status")).to_contain_text("Saved. Your vote: 1", timeout=8_000)
    assert list(Vote.objects.values_list("level", flat=True)) == [1]
    _stop(phone_page)


def test_a_tap_made_offline_while_the_round_closes_is_told_not_counted(
    phone_page, live_server, room, facilitator
):
    workshop, _ = room
    _join(phone_page, live_server, workshop)
    phone_page.context.set_offline(True)
    _tap(phone_page, "3")
    expect(phone_page.locator(".vote-status")).to_contain_text("no connection")
    services.round_reveal(workshop, facilitator)
    phone_page.context.set_offline(False)
    title = workshop.current_domain.short_title
    expect(phone_page.get_by_role("alert")).to_have_text(
        f"Voting on {title} closed before your vote arrived; it was not counted.", timeout=8_000
    )
    assert not Vote.objects.exists()
    _stop(phone_page)


def test_a_change_made_offline_arrives(phone_page, live_server, room):
    workshop, _ = room
    _join(phone_page, live_server, workshop)
    _tap(phone_page, "1")
    expect(phone_page.locator(".vote-status")).to_contain_text("Saved. Your vote: 1")
    phone_page.context.set_offline(True)
    _tap(phone_page, "3")
    expect(phone_page.locator(".vote-status")).to_contain_text("Not sent yet")
    assert Vote.objects.get().level == 1
    phone_page.context.set_offline(False)
    expect(phone_page.locator(".vote-status")).to_contain_text("Saved. Your vote: 3", timeout=8_000)
    assert list(Vote.objects.values_list("level", flat=True)) == [3]
    _stop(phone_page)


def test_a_server_error_is_told_and_retried(phone_page, live_server, room):
    workshop, _ = room
    _join(phone_page, live_server, workshop)
    answers = []

    def flaky(route):
        answers.append(route.request.post_data)
        if len(answers) == 1:
            route.fulfill(status=500, body="Server Error")
        else:
            route.continue_()

    phone_page.route("**/vote/", flaky)
    _tap(phone_page, "0")
    status = phone_page.locator(".vote-status")
    expect(status).to_contain_text("the server had a problem, will retry")
    expect(status).to_contain_text("Saved. Your vote: 0", timeout=8_000)  # retried after 2 s
    assert len(answers) == 2 and answers[0] == answers[1]  # the same tap id, sent again
    assert list(Vote.objects.values_list("level", flat=True)) == [0]
    _stop(phone_page)


def test_the_poll_shows_reconnecting_after_two_failures(phone_page, live_server, room):
    workshop, _ = room
    _join(phone_page, live_server, workshop)
    banner = phone_page.locator("#connection-banner")
    expect(banner).to_be_hidden()
    phone_page.context.set_offline(True)
    expect(banner).to_be_visible(timeout=8_000)
    expect(banner).to_contain_text("Reconnecting")
    phone_page.context.set_offline(False)
    expect(banner).to_be_hidden(timeout=8_000)
    _stop(phone_page)


@pytest.mark.parametrize("hours", [3, -3])
def test_a_phone_whose_clock_is_wrong_numbers_its_taps_on_the_servers_clock(
    phone_page, live_server, room, hours
):
    """Issue 21: the server refuses a tap number more than 10 minutes ahead of its clock, and
    orders posts without JavaScript by its clock; offline.js corrects the phone's clock by the
    page's, so a phone hours out still votes and its newest tap wins."""
    workshop, rnd = room
    shift = hours * 3_600_000
    phone_page.add_init_script(f"Date.now = (n => () => n() + {shift})(Date.now);")
    _join(phone_page, live_server, workshop)
    status = phone_page.locator(".vote-status")
    _tap(phone_page, "1")
    expect(status).to_contain_text("Saved. Your vote: 1", timeout=8_000)
    _tap(phone_page, "3")
    expect(status).to_contain_text("Saved. Your vote: 3", timeout=8_000)
    vote = Vote.objects.get(round=rnd)
    assert vote.level == 3 and abs(vote.tap_seq - now_ms()) < 60_000
    _stop(phone_page)
