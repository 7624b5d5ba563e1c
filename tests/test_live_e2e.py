"""End to end in headless Chromium: a facilitator and three phones rate all seven domains.

One domain is voted twice after discussion, one is agreed at another level than the
suggestion with a reason; the summary shows the agreed levels and the total. Screenshots of
the projector and a 375x667 phone are saved under /tmp for people to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/cascade-live-"
PHONES = [("Sam", "school"), ("Noor", "nhs"), ("Lee", "la")]
# domain code -> votes of the three phones ("unsure" is not sure); the agreement share is 0.8,
# so with three voters the suggestion is the lowest vote.
PLAN = [
    ("C1", ["2", "2", "2"]),
    ("A1", ["1", "3", "3"]),  # discussed, then voted again: see REVOTE
    ("S", ["1", "1", "1"]),  # agreed at 2 instead of the suggested 1: see OVERRIDE
    ("C2", ["0", "0", "1"]),
    ("A2", ["3", "3", "3"]),
    ("D", ["1", "2", "1"]),
    ("E", ["1", "unsure", "2"]),
]
REVOTE = {"A1": ["2", "2", "3"]}
OVERRIDE = {"S": ("2", "A new shared planning group meets monthly since the spring.")}
EXPECTED = {"C1": 2, "A1": 2, "S": 2, "C2": 0, "A2": 3, "D": 1, "E": 1}


def _phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _vote_on_phones(phones, levels, code, round_number=1):
    for phone, level in zip(phones, levels, strict=True):
        ballot = phone.locator(f"form[data-domain='{code}'][data-round='{round_number}']")
        expect(ballot).to_be_visible(timeout=6_000)  # the phone polls every 2 s
        ballot.locator(f"button[name=level][value='{level}']").click()
        expect(phone.locator("#ballot button[aria-pressed=true]")).to_have_count(1)
        expect(phone.locator("#ballot .vote-status[data-state=saved]")).to_have_count(1)  # the server has it


def _wait_for_votes(page, n):
    expect(page.get_by_test_id("voted-count")).to_have_text(str(n), timeout=6_000)


def test_a_whole_workshop_from_console_projector_and_phones(
    page, browser, live_server, workshop, facilitator
):
    page.on("dialog", lambda dialog: dialog.accept())  # "Discuss before agreeing ... Agree anyway?"
    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/")
    page.get_by_role("link", name="Run the workshop").click()
    page.get_by_role("button", name="Start workshop").click()
    expect(page.get_by_text("The workshop is live.")).to_be_visible()

    projector = page.context.new_page()
    projector.set_viewport_size({"width": 1280, "height": 720})
    projector.goto(f"{live_server.url}/workshops/{workshop.pk}/live/projector/")
    expect(projector.locator(".join-code")).to_have_text(workshop.join_code_display)
    join_href = f"/join/?code={workshop.join_code}"

    phones = []
    for name, sector in PHONES:
        phone = _phone(browser)
        phone.goto(live_server.url + join_href)  # what the QR code opens: the code is filled in
        expect(phone.get_by_label("Join code")).to_have_value(workshop.join_code)
        phone.get_by_label("Your name (optional)").fill(name)
        phone.locator(f"input[name=sector][value={sector}]").check()
        phone.get_by_role("button", name="Join").click()
        expect(phone.get_by_text("Voting opens soon")).to_be_visible()
        phones.append(phone)
    expect(projector.get_by_test_id("joined-count")).to_have_text("3", timeout=6_000)
    phones[0].screenshot(path=SHOTS + "phone-waiting.png")

    for index, (code, levels) in enumerate(PLAN):
        expect(page.locator(".domain-link.current .domain-code")).to_have_text(code)
        page.get_by_role("button", name="Open voting").click()
        _vote_on_phones(phones, levels, code)
        _wait_for_votes(page, 3)
        expect(projector.get_by_test_id("voted-count")).to_have_text("3", timeout=6_000)
        if index == 0:
            # Small phones: nothing wider than the screen, and a look at the ballot.
            assert phones[1].evaluate("document.documentElement.scrollWidth") <= 375
            phones[1].evaluate("window.scrollTo(0, 0)")
            phones[1].screenshot(path=SHOTS + "phone-ballot.png")
            phones[1].screenshot(path=SHOTS + "phone-ballot-full.png", full_page=True)
            projector.screenshot(path=SHOTS + "projector-voting.png")
        page.get_by_role("button", name="Reveal votes").click()
        expect(page.locator(".suggestion")).to_contain_text("Suggested")
        if code in REVOTE:
            expect(page.get_by_text("Discuss before agreeing")).to_be_visible()
            expect(projector.get_by_text("Discuss before agreeing")).to_be_visible(timeout=6_000)
            projector.screenshot(path=SHOTS + "projector-revealed.png")
            page.get_by_role("button", name="Vote again (round 2)").click()
            _vote_on_phones(phones, REVOTE[code], code, 2)
            _wait_for_votes(page, 3)
            page.get_by_role("button", name="Reveal votes").click()
            expect(page.get_by_text("round 2").first).to_be_visible()
        if code in OVERRIDE:
            level, reason = OVERRIDE[code]
            page.locator(f"input[name=level][value='{level}']").check()
            page.get_by_role("button", name="Confirm level").click()
            expect(page.get_by_text("Give a short reason")).to_be_visible()
            page.locator(f"input[name=level][value='{level}']").check()
            page.get_by_label(re.compile("^Reason")).fill(reason)
        page.get_by_role("button", name="Confirm level").click()
        expect(page.get_by_text(f"{code} agreed at level {EXPECTED[code]}.")).to_be_visible()
        page.get_by_role("button", name="Next domain →").click()  # confirming stays (issue 23)
        if index == 0:
            phones[0].screenshot(path=SHOTS + "phone-next-domain.png")

    # After the last domain the room sees the summary.
    expect(projector.get_by_text("Agreed ratings")).to_be_visible(timeout=6_000)
    expect(projector.locator(".summary-headline")).to_contain_text("Total 11 out of 21")
    projector.screenshot(path=SHOTS + "projector-summary.png")

    page.goto(f"{live_server.url}/workshops/{workshop.pk}/results/")
    rows = page.locator("table.summary-table tbody tr")
    expect(rows).to_have_count(7)
    for i, (code, _levels) in enumerate(PLAN):
        expect(rows.nth(i)).to_contain_text(code)
        expect(rows.nth(i).locator(".level-chip")).to_have_text(str(EXPECTED[code]))
    expect(page.locator(".summary-total")).to_contain_text("11 out of 21")
    expect(page.get_by_text(OVERRIDE["S"][1])).to_be_visible()  # the reason is in the history
    page.screenshot(path=SHOTS + "summary.png", full_page=True)

    # Closing freezes voting; the phones say so.
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/live/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close workshop").click()
    expect(page.get_by_text("voting is frozen").first).to_be_visible()
    expect(phones[2].get_by_text("The workshop has closed")).to_be_visible(timeout=6_000)
    phones[2].screenshot(path=SHOTS + "phone-closed.png", full_page=True)
    # Stop every polling page before the test database goes away.
    for phone in phones:
        phone.context.close()
    projector.close()
    page.goto("about:blank")
