"""Issue 23: the console is one screen and the projector fills the wall, in every live state.

One browser, one console page and one projector page per size; the states are walked in order
(lobby, open, revealed round 0, revealed live round, confirmed, notes, dots, end). In each:
axe-core (no serious or critical violation), no scrolling, and the controls that matter inside
the window and uncovered (document.elementFromPoint at their centre returns them or a child).
"""

from __future__ import annotations

import pytest

from actionplans import dots, notes_services
from ratings import lobby, services
from ratings.models import Participant, Round, Sector
from ratings.tests.prerating_helpers import join, open_window, pre_rate
from tests.axe import assert_axe_clean
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/cockpit-"
SCH, NHS, LA, CCG, OTH = (
    Sector.SCHOOL,
    Sector.NHS_CYPMHS,
    Sector.LOCAL_AUTHORITY,
    Sector.COMMISSIONER,
    Sector.OTHER,
)
SECTORS = [SCH, NHS, LA, CCG, OTH, SCH, NHS, LA, SCH, NHS]  # five sectors in the lobby; a table of three rows

UNCOVERED = """(el) => {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return "no size";
  if (r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5)
    return `outside the window: ${Math.round(r.top)}..${Math.round(r.bottom)} of ${innerHeight}`;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  if (hit && (hit === el || el.contains(hit))) return "";
  return `covered by ${hit ? hit.outerHTML.slice(0, 80) : "nothing"}`;
}"""
NO_SCROLL = """() => [document.documentElement.scrollHeight - innerHeight,
  document.documentElement.scrollWidth - innerWidth]"""


def _check(page, label: str, selectors: list[str]) -> None:
    page.wait_for_load_state("load")
    overflow = page.evaluate(NO_SCROLL)
    assert overflow[0] <= 1 and overflow[1] <= 1, f"{label}: the page scrolls by {overflow}"
    for selector in selectors:
        problem = page.locator(selector).first.evaluate(UNCOVERED)
        assert not problem, f"{label}: {selector} {problem}"
    assert_axe_clean(page, label)


def _room(workshop, facilitator):
    """Ten phones in five sectors: C1 pre-rated agreeing (all 2), A1 split."""
    open_window(workshop, facilitator)
    phones = []
    for sector in SECTORS:
        phone, participant = join(workshop, sector=sector)
        pre_rate(phone, workshop, 1, 2)
        pre_rate(phone, workshop, 2, [0, 3][len(phones) % 2])
        phones.append(participant)
    return phones


STAGE = [".results .bar-chart", ".suggestion", ".action-bar button[data-key=c]"]


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720), (1920, 1080)])
def test_console_and_projector_fit_in_every_live_state(browser, live_server, workshop, facilitator, size):
    width, height = size
    phones = _room(workshop, facilitator)
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    console, projector = context.new_page(), context.new_page()
    log_in(console, live_server, "facilitator", "pw-facilitator")
    console.wait_for_url(f"{live_server.url}/")
    base = f"{live_server.url}/workshops/{workshop.pk}/live/"

    def visit(state: str, console_checks: list[str], projector_checks: list[str]) -> None:
        console.goto(base)
        projector.goto(f"{base}projector/")
        if width == 1366:  # to look at (before the checks, so a failure can be seen)
            console.screenshot(path=f"{SHOTS}console-{state}-{width}.png")
            projector.screenshot(path=f"{SHOTS}projector-{state}-{width}.png")
        _check(console, f"console {state} {width}x{height}", console_checks)
        _check(projector, f"projector {state} {width}x{height}", projector_checks)
        for page in (console, projector):  # no poll reloads a page while the next state is set
            page.goto("about:blank")

    lobby.doors_open(workshop, facilitator)
    visit("lobby", ["button[data-key=s]"], ["button[data-key=s]", ".lobby-qr", ".lobby-count"])
    services.workshop_start(workshop, facilitator)
    services.round_reveal(workshop, facilitator)
    visit("revealed-0", STAGE, [".results .bar-chart", ".suggestion", ".sector-table"])
    rnd = services.voting_open(workshop, facilitator)
    visit("open", ["button[data-key=r]", "[data-testid=voted-count]"], ["[data-testid=voted-count]"])
    for i, participant in enumerate(phones):
        services.vote_record(participant, rnd.pk, [2, 2, 2, 1][i % 4])
    services.round_reveal(workshop, facilitator)
    projected = [".results .bar-chart", ".suggestion", ".sector-table"]
    visit("revealed-live", [*STAGE, ".cockpit .sector-table"], projected)
    services.consensus_confirm(workshop, facilitator, workshop.current_domain_id, 2)
    visit("confirmed", [*STAGE, ".agreed-line", "button[data-key=n]"], [".agreed-banner"])
    notes_services.notes_open(workshop, facilitator, workshop.current_domain_id)
    visit("notes", [*STAGE, "#tab-notes", "#tab-notes form button"], [".stage-title"])
    notes_services.notes_close(workshop, facilitator)
    dots.dots_open(workshop, facilitator)
    visit("dots", [*STAGE, "#tab-notes", "#tab-notes form button"], [".stage-title"])
    services.workshop_close(workshop, facilitator)
    visit("end", [".summary-table"], [".summary-table"])
    assert Round.objects.filter(workshop=workshop).count() == 3  # C1 round 0 and 1, A1 round 0
    assert Participant.objects.filter(workshop=workshop).count() == 10
    context.close()


def test_projector_sector_table_is_readable_from_the_back_at_1080p(
    browser, live_server, workshop, facilitator
):
    phones = _room(workshop, facilitator)
    services.workshop_start(workshop, facilitator)
    services.round_reveal(workshop, facilitator)
    assert phones
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/live/projector/")
    sizes = page.locator(".sector-table td, .sector-table th").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 28, sizes
    context.close()


def test_the_console_works_without_javascript(browser, live_server, workshop, facilitator):
    """No tabs and no keys: the side panels stack in their own column, the stage stays in
    view, and Confirm is a plain form post that stays on the domain."""
    services.workshop_start(workshop, facilitator)
    rnd = services.voting_open(workshop, facilitator)
    for level in (2, 2, 2):
        services.vote_record(Participant.objects.create(workshop=workshop, sector=SCH), rnd.pk, level)
    services.round_reveal(workshop, facilitator)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(10_000)
    context.route("**/*.js", lambda route: route.abort())  # none of the page's scripts runs
    page = context.new_page()
    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/live/")
    assert page.locator("[role=tab]").count() == 0  # cockpit.js did not run
    _check(page, "console without JavaScript", STAGE)
    page.locator(".action-bar button[data-key=c]").click()
    assert page.locator("#status-line").inner_text().startswith("C1 agreed at level 2.")
    workshop.refresh_from_db()
    assert workshop.current_domain.code == "C1"
    context.close()
