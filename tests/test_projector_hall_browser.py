"""The projector in a hall: the lobby in big type, a join address that never breaks mid-word,
and phones that end on a thank-you screen with the agreed levels."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ratings import lobby, services
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/cascade-hall-"

# One rectangle per piece between <wbr>s: a piece drawn on two lines was broken mid-word.
BROKEN_SEGMENTS_JS = """(selector) => {
  const el = document.querySelector(selector), broken = [];
  for (const node of el.children) {
    const range = document.createRange();
    range.selectNodeContents(node);
    if (range.getClientRects().length > 1) broken.push(node.textContent);
  }
  return broken;
}"""


@pytest.fixture
def projector(page, live_server, facilitator, settings):
    settings.PUBLIC_URL = "http://cascade-workshop-laptop.hall-network.example:8000"
    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_the_lobby_shows_the_join_address_code_and_joined_count(
    projector, live_server, workshop, facilitator
):
    lobby.doors_open(workshop, facilitator)
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(f"{live_server.url}/workshops/{workshop.pk}/live/projector/")
    expect(projector.locator(".lobby-code")).to_have_text(workshop.join_code_display)
    expect(projector.get_by_test_id("lobby-joined")).to_have_text("0")
    phone = projector.context.browser.new_context(viewport={"width": 375, "height": 667}).new_page()
    phone.goto(f"{live_server.url}/join/?code={workshop.join_code}")
    phone.locator("input[name=sector][value=nhs]").check()
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_text("The workshop starts soon")).to_be_visible()
    expect(phone.get_by_text("Clarity on roles, remit")).to_be_visible()
    expect(projector.get_by_test_id("lobby-joined")).to_have_text("1", timeout=6_000)
    projector.screenshot(path=SHOTS + "projector-lobby.png")
    phone.screenshot(path=SHOTS + "phone-lobby.png")
    assert projector.evaluate("document.documentElement.scrollHeight") <= 1081
    phone.context.close()
    projector.goto("about:blank")


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1920, 1080)])
def test_the_join_address_never_breaks_mid_word(projector, live_server, workshop, facilitator, size):
    services.workshop_start(workshop, facilitator)
    projector.set_viewport_size({"width": size[0], "height": size[1]})
    projector.goto(f"{live_server.url}/workshops/{workshop.pk}/live/projector/")
    expect(projector.locator(".join-address")).to_be_visible()
    assert projector.evaluate(BROKEN_SEGMENTS_JS, ".join-address") == []
    panel = projector.locator(".join-panel").bounding_box()
    assert panel["x"] + panel["width"] <= size[0], "the join panel runs off the screen"
    if size[0] == 1024:
        projector.screenshot(path=SHOTS + "projector-1024.png")
    projector.goto("about:blank")


def test_phones_end_on_the_agreed_levels_and_a_thank_you(projector, live_server, workshop, facilitator):
    lobby.doors_open(workshop, facilitator)
    phone = projector.context.browser.new_context(viewport={"width": 375, "height": 667}).new_page()
    phone.goto(f"{live_server.url}/join/?code={workshop.join_code}")
    phone.locator("input[name=sector][value=school]").check()
    phone.get_by_role("button", name="Join").click()
    services.workshop_start(workshop, facilitator)
    for domain in workshop.framework.domains.order_by("position"):
        services.consensus_confirm(workshop, facilitator, domain.pk, 2, reason="agreed without a vote")
    services.domain_go(workshop, facilitator, None)  # the summary: confirming no longer moves on
    expect(phone.get_by_role("heading", name="All done: thank you")).to_be_visible(timeout=6_000)
    expect(phone.locator(".end-total")).to_contain_text("Total 14 out of 21")
    phone.screenshot(path=SHOTS + "phone-end.png", full_page=True)
    services.workshop_close(workshop, facilitator)
    expect(phone.get_by_role("heading", name="The workshop has closed")).to_be_visible(timeout=6_000)
    phone.context.close()
    projector.goto("about:blank")
