"""The phone's privacy controls in a real browser: the join page's notice and "Remove my name"
on a 320 px phone, keyboard only, axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ratings import services
from ratings.models import Participant
from tests.axe import assert_axe_clean

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phone_joins_with_a_name_and_removes_it(browser, live_server, workshop, facilitator):
    services.workshop_start(workshop, facilitator)
    workshop.refresh_from_db()
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/join/?code={workshop.join_code}")
    expect(page.locator("#privacy-note")).to_contain_text("We store your sector and votes")
    assert_axe_clean(page, "join page")
    page.get_by_label("Your name (optional)").fill("Sam Smith")
    page.get_by_label("Organisation (optional)").fill("Oak School")
    page.get_by_label("School or college").check()
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You joined as Sam Smith")).to_be_visible()
    page.screenshot(path="/tmp/trust_ballot_named.png", full_page=True)
    button = page.get_by_role("button", name="Remove my name")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your name and organisation have been removed")).to_be_visible()
    expect(page.get_by_text("You joined as an anonymous participant")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path="/tmp/trust_ballot.png", full_page=True)
    assert_axe_clean(page, "ballot after removing the name")
    participant = Participant.objects.get()
    assert (participant.display_name, participant.organisation, participant.sector) == ("", "", "school")
    context.close()


def test_remove_my_name_takes_the_name_off_the_phones_notes(
    browser, page, live_server, workshop, facilitator
):
    """Issue 21: a note posted with "Show my name" lost its byline nowhere; now the phone's own
    list says "anonymous" and the facilitator's plan page shows "Anonymous", words unchanged."""
    from actionplans.notes_services import notes_open
    from tests.conftest import log_in

    services.workshop_start(workshop, facilitator)
    workshop.refresh_from_db()
    notes_open(workshop, facilitator, None)
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.set_default_timeout(10_000)
    phone.goto(f"{live_server.url}/join/?code={workshop.join_code}")
    phone.get_by_label("Your name (optional)").fill("Sam Smith")
    phone.get_by_label("School or college").check()
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_text("You joined as Sam Smith")).to_be_visible()
    phone.goto(f"{live_server.url}/p/{workshop.join_code}/notes/?domain=C1")
    phone.get_by_label("Your note").fill("Named leads in every school")
    phone.get_by_label("Show my name (Sam Smith) with this note").check()
    phone.get_by_role("button", name="Post note").click()
    expect(phone.get_by_text("shown with your name")).to_be_visible()

    phone.goto(f"{live_server.url}/p/{workshop.join_code}/")
    phone.get_by_role("button", name="Remove my name").click()
    expect(
        phone.get_by_text("Your name and organisation have been removed, from your notes too")
    ).to_be_visible()
    phone.goto(f"{live_server.url}/p/{workshop.join_code}/notes/?domain=C1")
    expect(phone.locator(".my-notes")).to_contain_text("anonymous")
    expect(phone.locator(".my-notes")).to_contain_text("Named leads in every school")
    assert "Sam Smith" not in phone.content()
    assert_axe_clean(phone, "the phone's notes after removing the name")
    context.close()

    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/plan/")
    expect(page.locator(".plan-note", has_text="Named leads in every school")).to_contain_text("Anonymous")
    assert "Sam Smith" not in page.content()
