"""Issue 23: every key does one thing, and asks first where a press would agree a split room,
agree another level than the suggestion, reveal an empty round or leave a domain unfinished.
One page walks the console's shortcuts in order; a second walks the projector's clicker keys."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ratings import services
from ratings.models import Consensus, Participant, Round, Sector
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _votes(workshop, levels):
    rnd = Round.objects.get(workshop=workshop, status=Round.Status.OPEN)
    for i, level in enumerate(levels):
        p = Participant.objects.create(workshop=workshop, sector=[Sector.SCHOOL, Sector.NHS_CYPMHS][i % 2])
        services.vote_record(p, rnd.pk, level)


def _on(workshop) -> str:
    workshop.refresh_from_db()
    return workshop.current_domain.code if workshop.current_domain else "summary"


def _press(page, key: str) -> None:
    """A key reaches the shortcuts only once the page's scripts run: after a key posted and the
    console reloaded, the new page's buttons can be in the DOM before its scripts have run."""
    page.wait_for_load_state("load")
    page.keyboard.press(key)


def _open_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def test_each_console_key_does_one_thing_and_asks_first(browser, live_server, workshop):
    context, page = _open_page(browser, live_server)
    prompt = page.locator("#key-prompt")
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/live/")
    _press(page, "?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    _press(page, "?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()

    _press(page, "s")  # start
    expect(page.get_by_role("button", name="Open voting")).to_be_visible()
    assert _on(workshop) == "C1"
    _press(page, "o")  # open voting
    expect(page.get_by_role("button", name="Reveal votes")).to_be_visible()

    # R on a round with no votes asks; Escape cancels and nothing changes.
    _press(page, "r")
    expect(prompt).to_contain_text("No votes yet in round 1. Reveal an empty round?")
    _press(page, "Escape")
    expect(prompt).to_contain_text("Cancelled")
    assert Round.objects.get().is_open

    _votes(workshop, [0, 3, 1, 3, 2, 3])  # split
    page.reload()  # the console's counts poll shows the votes
    expect(page.get_by_test_id("voted-count")).to_have_text("6")
    _press(page, "r")  # votes are in: no question
    expect(page.locator(".suggestion")).to_contain_text("Suggested")
    expect(page.locator(".discuss-flag")).to_be_visible()

    # C on a split room asks; C again agrees, and the console stays on C1 showing it.
    _press(page, "c")
    expect(prompt).to_contain_text("Discuss before agreeing")
    assert not Consensus.objects.exists()
    _press(page, "c")
    expect(page.locator(".agreed-line")).to_contain_text("Agreed:")
    expect(page.locator("#status-line")).to_contain_text("C1 agreed at level")
    assert _on(workshop) == "C1" and Consensus.objects.get().domain.code == "C1"

    # Another level: the prompt names it; Enter goes ahead (with the reason given).
    page.locator("input[name=level][value='0']").check()
    page.get_by_label("Reason (needed when you choose another level than the suggestion)").fill("Paper trail")
    page.evaluate("document.activeElement.blur()")
    _press(page, "c")
    expect(prompt).to_contain_text("Agree level 0 instead of the suggested")
    _press(page, "Enter")
    expect(page.locator(".agreed-line")).to_contain_text("Agreed: 0")
    assert Consensus.objects.get().level == 0 and _on(workshop) == "C1"

    # V opens round 2; N with voting open asks first (Escape stays), then N N moves one domain.
    _press(page, "v")
    expect(page.get_by_role("button", name="Reveal votes")).to_be_visible()
    _press(page, "n")
    expect(prompt).to_contain_text("Voting is open on C1")
    _press(page, "Escape")
    assert _on(workshop) == "C1"
    _press(page, "n")
    _press(page, "n")
    expect(page.locator(".domain-link.current .domain-code")).to_have_text("A1")
    assert _on(workshop) == "A1"  # one domain on: nothing skipped

    # P and PageUp/Left go back one; ArrowRight/PageDown press the step.
    _press(page, "p")
    expect(page.locator(".domain-link.current .domain-code")).to_have_text("C1")
    _press(page, "ArrowRight")  # C1's round 2 closed empty when the room moved: asks
    expect(prompt).to_contain_text("No votes in round 2. Reveal an empty round?")
    _press(page, "Escape")
    _press(page, "n")
    expect(page.locator(".domain-link.current .domain-code")).to_have_text("A1")
    _press(page, "PageDown")  # A1: open voting
    expect(page.get_by_role("button", name="Reveal votes")).to_be_visible()
    assert Round.objects.get(domain__code="A1").is_open
    _press(page, "PageUp")  # voting is open: asks first
    expect(prompt).to_contain_text("Voting is open on A1")
    _press(page, "PageUp")
    expect(page.locator(".domain-link.current .domain-code")).to_have_text("C1")
    _press(page, "ArrowLeft")  # C1 is the first domain: no previous, nothing happens
    assert _on(workshop) == "C1"
    _press(page, "f")  # full screen on; a second F turns it off
    page.wait_for_function("() => !!document.fullscreenElement")
    _press(page, "f")
    page.wait_for_function("() => !document.fullscreenElement")
    context.close()


def test_the_projectors_clicker_keys_ask_before_agreeing_a_split_room(
    browser, live_server, workshop, facilitator
):
    services.workshop_start(workshop, facilitator)
    context, page = _open_page(browser, live_server)
    prompt = page.locator("#key-prompt")
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/live/projector/")
    _press(page, "PageDown")  # open voting
    expect(page.get_by_role("button", name="Reveal votes")).to_be_visible()
    _press(page, "PageDown")  # nobody voted yet: asks
    expect(prompt).to_contain_text("Reveal an empty round?")
    _press(page, "Escape")
    _votes(workshop, [0, 3, 3, 1])
    page.reload()
    _press(page, "PageDown")  # reveal
    expect(page.locator(".suggestion")).to_contain_text("Suggested")
    _press(page, "PageDown")  # confirm: the room is split, so it asks
    expect(prompt).to_contain_text("Discuss before agreeing")
    _press(page, "PageDown")
    expect(page.locator(".agreed-banner")).to_be_visible()
    assert _on(workshop) == "C1"
    _press(page, "PageDown")  # agreed: the step is Next
    expect(page.locator(".stage-title")).to_have_text("Agreed point of contact")
    assert _on(workshop) == "A1"
    context.close()
