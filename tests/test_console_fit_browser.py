"""The facilitator never scrolls during the loop: at 1366x768 and 1280x720 each step's control
is inside the window as the page loads, and the keyboard or a clicker drives the steps."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ratings import services
from ratings.models import Participant, Round, Sector
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/cascade-hall-"


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] + box["width"] <= size["width"]
    )


def _votes(workshop, levels):
    rnd = Round.objects.get(workshop=workshop, status=Round.Status.OPEN)
    for i, level in enumerate(levels):
        p = Participant.objects.create(workshop=workshop, sector=[Sector.SCHOOL, Sector.NHS_CYPMHS][i % 2])
        services.vote_record(p, rnd.pk, level)


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)])
def test_each_step_control_is_in_view_without_scrolling(page, live_server, workshop, facilitator, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    services.workshop_start(workshop, facilitator)
    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    console = f"{live_server.url}/workshops/{workshop.pk}/live/"
    page.goto(console)

    open_button = page.get_by_role("button", name="Open voting", exact=True)
    assert _in_view(page, open_button), "Open voting"
    open_button.click()
    reveal = page.get_by_role("button", name="Reveal votes")
    expect(reveal).to_be_visible()
    assert _in_view(page, reveal), "Reveal votes"
    _votes(workshop, [1, 1, 3, 3, 2, 0, 1, 3])
    reveal.click()
    expect(page.locator(".suggestion").first).to_be_visible()
    page.screenshot(path=f"{SHOTS}console-revealed-{size[0]}.png")
    for name in ("Confirm level", "Vote again (round 2)", "Next domain →"):
        assert _in_view(page, page.get_by_role("button", name=name)), name
    assert _in_view(
        page, page.get_by_label("Reason (needed when you choose another level than the suggestion)")
    )
    assert _in_view(page, page.locator("input[name=level]").last), "the level choice"

    # Another level without a reason: the error is beside the control, in view.
    page.locator("input[name=level][value='3']").check()
    page.once("dialog", lambda dialog: dialog.accept())  # a split room: "Discuss before agreeing..."
    page.get_by_role("button", name="Confirm level").click()
    error = page.locator("#reason-error")
    expect(error).to_contain_text("Give a short reason")
    assert _in_view(page, error) and _in_view(page, page.locator(".action-bar [role=alert]"))
    page.screenshot(path=f"{SHOTS}console-error-{size[0]}.png")
    page.goto("about:blank")


def test_the_keyboard_and_a_clicker_drive_the_steps(page, live_server, workshop, facilitator):
    page.set_viewport_size({"width": 1366, "height": 768})
    services.workshop_start(workshop, facilitator)
    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/live/")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("o")  # open voting
    expect(page.get_by_role("button", name="Reveal votes")).to_be_visible()
    _votes(workshop, [2, 2, 2])
    expect(page.get_by_test_id("voted-count")).to_have_text("3", timeout=6_000)  # (an empty round asks)
    page.keyboard.press("PageDown")  # the clicker: next step = reveal
    expect(page.locator(".suggestion").first).to_contain_text("Suggested")
    page.keyboard.press("PageDown")  # confirm the suggestion; the room stays on C1 (issue 23)
    expect(page.get_by_text("C1 agreed at level 2.")).to_be_visible()
    expect(page.locator(".domain-link.current .domain-code")).to_have_text("C1")
    page.keyboard.press("PageDown")  # agreed: the next step is the next domain
    expect(page.locator(".domain-link.current .domain-code")).to_have_text("A1")
    page.keyboard.press("o")
    expect(page.get_by_role("button", name="Reveal votes")).to_be_visible()
    page.keyboard.press("n")  # "Voting is open ... Move on?" asked in the prompt line
    expect(page.locator("#key-prompt")).to_contain_text("Voting is open on A1")
    page.keyboard.press("Escape")  # stay
    expect(page.get_by_role("button", name="Reveal votes")).to_be_visible()
    workshop.refresh_from_db()
    assert (
        workshop.current_domain.code == "A1" and Round.objects.filter(status=Round.Status.OPEN).count() == 1
    )
    page.keyboard.press("n")
    page.keyboard.press("n")  # the same key again goes ahead
    expect(page.locator(".domain-link.current .domain-code")).to_have_text("S")
    page.goto("about:blank")
