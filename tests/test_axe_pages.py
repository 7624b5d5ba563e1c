"""axe-core on every main page and state: no violation of impact serious or critical.

Pages are visited by the user who would see them, on seed_demo's data with a live follow-up
(the `demo` fixture of test_accessibility). Live states are stepped through with the
services, and each page of the console, projector and phone is checked in each step.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from actionplans.notes_services import retry_if_locked
from ratings import services
from ratings.models import Participant, Sector
from tests.axe import axe_violations
from tests.test_accessibility import _page_as, _pages, demo  # noqa: F401  (demo is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, label: str, problems: dict) -> None:
    found = axe_violations(page)
    if found:
        problems[label] = found


def _report(problems: dict) -> str:
    return "\n".join(f"{label}:\n  " + "\n  ".join(lines) for label, lines in problems.items())


def test_every_main_page_passes_axe(browser, live_server, demo):  # noqa: F811
    problems: dict[str, list[str]] = {}
    pages = _pages(demo)
    fu = demo["follow_up"].pk
    pages["facilitator"] += [f"/workshops/{fu}/paper/ballot/", f"/workshops/{fu}/paper/tally/"]
    for username, urls in pages.items():
        user = demo["users"].get(username)
        page = _page_as(browser, live_server, user)
        for url in urls:
            page.goto(live_server.url + url)
            _check(page, f"{username} {url}", problems)
        page.context.close()
    assert not problems, _report(problems)


def test_every_live_state_passes_axe(browser, live_server, workshop, facilitator):
    """Console, projector and phone in each step, from draft to closed."""
    problems: dict[str, list[str]] = {}
    console = _page_as(browser, live_server, facilitator, 1366, 768)
    projector = _page_as(browser, live_server, facilitator, 1920, 1080)
    phone = _page_as(browser, live_server, None, 375, 667, mobile=True)
    base = f"{live_server.url}/workshops/{workshop.pk}/live/"

    def staff(state: str) -> None:
        console.goto(base)
        _check(console, f"console {state}", problems)
        projector.goto(base + "projector/")
        _check(projector, f"projector {state}", problems)

    def on_phone(state: str) -> None:
        phone.goto(f"{live_server.url}/p/{workshop.join_code}/")
        _check(phone, f"phone {state}", problems)

    def quietly(write, *args, **kwargs):
        """A write from the test thread with no page open: an open page polls and reloads
        itself when the state changes, and on SQLite in memory a poll's read in flight makes
        the write fail at once ("table is locked"), or a page's reload aborts the next goto."""
        for page in (console, projector, phone):
            page.goto("about:blank")
        return retry_if_locked(write)(*args, **kwargs)

    staff("draft")
    phone.goto(f"{live_server.url}/join/?code={workshop.join_code}")
    _check(phone, "join", problems)
    console.goto(base)
    console.get_by_role("button", name="Open the doors").click()
    staff("lobby")
    phone.goto(f"{live_server.url}/join/?code={workshop.join_code}")
    phone.locator("input[name=sector][value=school]").check()
    phone.get_by_role("button", name="Join").click()
    _check(phone, "phone lobby", problems)
    quietly(services.workshop_start, workshop, facilitator)
    staff("present")
    on_phone("present")
    rnd = quietly(services.voting_open, workshop, facilitator)
    staff("voting")
    on_phone("voting")
    phone.locator("button[name=level][value='2']").click()
    expect(phone.locator(".vote-status")).to_contain_text("Saved")
    _check(phone, "phone voted", problems)
    phone.context.set_offline(True)
    phone.locator("button[name=level][value='1']").click()
    expect(phone.locator(".vote-status")).to_contain_text("Not sent yet")
    expect(phone.locator("#connection-banner")).to_be_visible(timeout=8_000)
    _check(phone, "phone offline with a tap kept", problems)
    phone.context.set_offline(False)
    expect(phone.locator(".vote-status")).to_contain_text("Saved. Your vote: 1", timeout=8_000)
    for sector, level in [(Sector.NHS_CYPMHS, 1), (Sector.LOCAL_AUTHORITY, 3)]:
        voter = quietly(Participant.objects.create, workshop=workshop, sector=sector)
        quietly(services.vote_record, voter, rnd.pk, level)
    quietly(services.round_reveal, workshop, facilitator)
    staff("revealed")
    on_phone("closed")
    console.goto(base)
    console.locator("input[name=level][value='3']").check()
    console.once("dialog", lambda dialog: dialog.accept())  # a split room asks first (issue 23)
    console.get_by_role("button", name="Confirm level").click()
    expect(console.locator("#reason-error")).to_be_visible()
    _check(console, "console confirm error", problems)
    console.keyboard.press("Escape")
    console.evaluate("document.activeElement.blur()")
    console.keyboard.press("?")
    expect(console.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    _check(console, "console shortcuts", problems)
    quietly(services.domain_go, workshop, facilitator, None)
    staff("summary")
    on_phone("end screen")
    quietly(services.workshop_close, workshop, facilitator)
    staff("closed")
    on_phone("closed workshop")
    for page in (console, projector, phone):
        page.context.close()
    assert not problems, _report(problems)
