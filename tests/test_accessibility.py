"""Accessibility of every main page as Chromium computes it, each visited by the right user on
the demo data with a live follow-up workshop.

- every input, select and textarea has an accessible name (Chromium's own computation, read
  through the DevTools accessibility tree, with every <details> opened first); buttons and
  links have names; images and SVG charts have a text alternative; ids are unique;
- every page has one h1 and a lang attribute;
- on a 320 px phone nothing is wider than the screen (participant pages and the staff pages a
  CCG lead or facilitator might open on a phone);
- keyboard: the first Tab from the top reaches the skip link, the skip link moves focus to the
  main content, the next Tabs reach the page's main action, and every stop on the way shows a
  focus ring (outline or box-shadow of at least 2 px, opaque);
- the projector fits one screen at 1920x1080 and 1280x720 for every domain, and no text meant
  for the room is smaller than 2.2% of the screen height.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from ratings import services
from ratings.models import Participant, Sector, Vote
from workshops.models import Area, Programme, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTROLS = "input:not([type=hidden]), select, textarea"
NAMED = "button, a[href], [role=button], summary"
GRAPHICS = "img, svg, [role=img]"

# The DevTools protocol gives Chromium's accessible name, role and "ignored" flag per node.
FOCUS_RING_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const alpha = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return 1;
    const p = m[1].split(',').map(parseFloat); return p.length > 3 ? p[3] : 1; };
  let ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && alpha(s.outlineColor) >= 0.9;
  for (const part of (s.boxShadow === 'none' ? [] : s.boxShadow.split(/,(?![^(]*\\))/))) {
    const colour = (part.match(/rgba?\\([^)]+\\)/) || ['rgb(0,0,0)'])[0];
    const spread = parseFloat(part.replace(colour, '').trim().split(/\\s+/)[3] || '0');
    if (alpha(colour) >= 0.9 && spread >= 2) ring = true;
  }
  const name = (e.getAttribute('aria-label') || e.innerText || e.value || e.name || e.id || '').trim();
  return {tag: e.tagName, type: e.type || '', id: e.id, name: name.slice(0, 60), ring};
}"""

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth, wide = [];
  if (document.documentElement.scrollWidth > width) wide.push('page ' + document.documentElement.scrollWidth);
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width || (r.right <= width + 0.5 && r.left >= -0.5)) continue;
    let scrolls = false;  // inside a box that scrolls sideways (a wide table) is fine
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible') { scrolls = true; break; }
    if (!scrolls) wide.push(el.tagName.toLowerCase() + '.' + el.className + ' to ' + Math.round(r.right));
  }
  return wide;
}"""

# Rendered size of every visible piece of text on the projector (SVG text scaled with its chart),
# leaving out the facilitator's control strip.
ROOM_TEXT_JS = """() => {
  const out = [], walker = document.createTreeWalker(document.getElementById('stage'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el.checkVisibility()) continue;
    if (el.closest('.projector-controls, .visually-hidden')) continue;
    let px = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) px *= el.getScreenCTM().a;
    out.push([px, node.textContent.trim().slice(0, 30)]);
  }
  return out;
}"""


# --- the demo, a live follow-up and the users ------------------------------------------------
@pytest.fixture
def demo(reference_data):
    """seed_demo's data; the follow-up is live with domain C1 voted on and revealed."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    users = {u.username: u for u in get_user_model().objects.all()}
    follow_up = Workshop.objects.get(area__code="NSH", phase=2)
    services.workshop_start(follow_up, users["facilitator"])
    rnd = services.voting_open(follow_up, users["facilitator"])
    for sector, level in [(Sector.SCHOOL, 1), (Sector.NHS_CYPMHS, 2), (Sector.LOCAL_AUTHORITY, 2)]:
        participant = Participant.objects.create(workshop=follow_up, sector=sector)
        Vote.objects.create(round=rnd, participant=participant, level=level)
    services.round_reveal(follow_up, users["facilitator"])
    follow_up.refresh_from_db()
    return {
        "users": users,
        "follow_up": follow_up,
        "baseline": Workshop.objects.get(area__code="NSH", phase=1),
        "area": Area.objects.get(code="NSH"),
        "programme": Programme.objects.get(name="Demo programme 2026"),
    }


def _page_as(browser, live_server, user, width=1280, height=800, mobile=False):
    """A browser page logged in as `user` (None: anonymous) through a session cookie."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=mobile, has_touch=mobile
    )
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _pages(demo) -> dict[str, list[str]]:
    fu, base, area, prog = demo["follow_up"].pk, demo["baseline"].pk, demo["area"].pk, demo["programme"].pk
    return {
        "anonymous": ["/accounts/login/", "/join/", "/accessibility/"],
        "facilitator": [
            "/",
            "/workshops/new/",
            f"/workshops/{fu}/",
            f"/workshops/{fu}/edit/",
            f"/workshops/{base}/",
            "/frameworks/",
            f"/frameworks/{demo['follow_up'].framework_id}/",
            "/areas/",
            f"/areas/{area}/",
            f"/workshops/{fu}/live/",
            f"/workshops/{fu}/live/projector/",
            f"/workshops/{fu}/results/",
            f"/workshops/{fu}/plan/",
            f"/workshops/{fu}/plan/domain/C1/",
            f"/workshops/{fu}/plan/review/",
            f"/workshops/{base}/plan/preview/",
            "/accounts/password/",
        ],
        "lead": [
            "/",
            f"/workshops/{base}/",
            f"/workshops/{base}/results/",
            f"/workshops/{base}/plan/",
            "/action-items/",
            "/areas/",
            f"/areas/{area}/",
        ],
        "admin": ["/reports/", "/reports/import/", f"/reports/programmes/{prog}/", "/action-items/"],
        "programmelead": ["/reports/", f"/reports/programmes/{prog}/"],
    }


# --- the checks ------------------------------------------------------------------------------
def _audit(page) -> list[str]:
    """What a screen-reader user would miss on the current page."""
    problems = []
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    if not page.evaluate("document.documentElement.lang"):
        problems.append("no lang attribute")
    h1 = page.locator("h1").count()
    if h1 != 1:
        problems.append(f"{h1} h1 elements")
    duplicates = page.evaluate(
        "() => { const seen = new Set(), dup = []; document.querySelectorAll('[id]').forEach("
        "e => { if (seen.has(e.id)) dup.push(e.id); seen.add(e.id); }); return dup; }"
    )
    if duplicates:
        problems.append(f"duplicate ids {duplicates}")
    for attempt in range(3):
        try:
            return problems + _unnamed(page)
        except PlaywrightError as exc:  # a poll swapped part of the page under the walk
            if "Could not find node" not in str(exc) or attempt == 2:
                raise
    raise AssertionError("unreachable")


def _unnamed(page) -> list[str]:
    """Controls, buttons, links and graphics whose accessible name Chromium computes as empty."""
    problems = []
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        for selector, what in ((CONTROLS, "form control"), (NAMED, "button or link"), (GRAPHICS, "graphic")):
            for node_id in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})[
                "nodeIds"
            ]:
                node = cdp.send(
                    "Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False}
                )["nodes"][0]
                if node.get("ignored"):  # aria-hidden or not rendered: nothing to name
                    continue
                if not (node.get("name") or {}).get("value", "").strip():
                    html = cdp.send("DOM.getOuterHTML", {"nodeId": node_id})["outerHTML"][:120]
                    problems.append(f"{what} without a name: {html}")
    finally:
        cdp.detach()
    return problems


def test_every_page_names_its_controls_and_has_one_h1(browser, live_server, demo):
    problems = {}
    for role, paths in _pages(demo).items():
        page = _page_as(browser, live_server, demo["users"].get(role))
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (role, path, response.status)
            found = _audit(page)
            if found:
                problems[f"{role} {path}"] = found
        page.context.close()
    assert problems == {}


def test_a_refused_form_puts_focus_on_the_problem(browser, live_server, demo):
    """The console after an override without a reason, the join form with a short code, and
    the import page listing bad rows: focus lands on the problem and the page stays labelled."""
    page = _page_as(browser, live_server, demo["users"]["facilitator"])
    page.goto(f"{live_server.url}/workshops/{demo['follow_up'].pk}/live/")
    page.locator("input[name=level][value='3']").check()
    page.once("dialog", lambda dialog: dialog.accept())  # a split room asks first (issue 23)
    page.get_by_role("button", name="Confirm level").click()
    expect(page.get_by_text("Give a short reason")).to_be_visible()
    assert page.evaluate("document.activeElement.name") == "reason"  # focus went to the problem
    assert _audit(page) == []
    page.context.close()

    page = _page_as(browser, live_server, None, 375, 667, mobile=True)
    page.goto(f"{live_server.url}/join/")
    page.get_by_label("Join code").fill("ABC")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("A join code has 6 letters and digits")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "id_code"  # first problem, described
    assert "id_code_error" in page.get_by_label("Join code").get_attribute("aria-describedby")
    assert _audit(page) == []
    page.context.close()

    page = _page_as(browser, live_server, demo["users"]["admin"])
    page.goto(f"{live_server.url}/reports/import/")
    page.get_by_label("New programme named").fill("Paper pilot 2")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"area,phase,C1\nNorth,x,1\n"}]
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", name=re.compile("Nothing was imported"))).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "import-problems"
    assert _audit(page) == []
    page.context.close()


def test_nothing_is_wider_than_a_320px_phone(browser, live_server, demo):
    follow_up, users = demo["follow_up"], demo["users"]
    services.domain_next(follow_up, users["facilitator"])
    services.voting_open(follow_up, users["facilitator"])  # A1 open: the phone gets a ballot
    wide = {}

    phone = _page_as(browser, live_server, None, 320, 568, mobile=True)
    phone.goto(f"{live_server.url}/join/?code={follow_up.join_code}")
    wide["join"] = phone.evaluate(OVERFLOW_JS)
    phone.get_by_label(re.compile("Your name")).fill("Noor")
    phone.locator("input[name=sector][value=nhs]").check()
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator("form[data-domain='A1']")).to_be_visible()
    wide["ballot"] = phone.evaluate(OVERFLOW_JS) + [f"ballot: {p}" for p in _audit(phone)]
    phone.locator("#ballot button[name=level][value='2']").click()
    expect(phone.locator("#ballot button[aria-pressed=true]")).to_have_count(1)
    expect(phone.locator("#ballot .vote-status[data-state=saved]")).to_have_count(1)  # the server has it
    wide["voted"] = phone.evaluate(OVERFLOW_JS)
    phone.context.close()

    fu, base = follow_up.pk, demo["baseline"].pk
    for role, paths in {
        "facilitator": ["/", f"/workshops/{fu}/", f"/workshops/{fu}/live/", f"/workshops/{fu}/plan/"],
        "lead": [
            "/",
            f"/workshops/{base}/",
            f"/workshops/{base}/results/",
            f"/workshops/{base}/plan/",
            "/action-items/",
            f"/areas/{demo['area'].pk}/",
        ],
    }.items():
        page = _page_as(browser, live_server, users[role], 320, 568, mobile=True)
        for path in paths:
            page.goto(live_server.url + path)
            wide[f"{role} {path}"] = page.evaluate(OVERFLOW_JS)
        page.context.close()
    assert {where: found for where, found in wide.items() if found} == {}


def test_the_phone_announces_each_change_and_keeps_focus_on_the_vote(browser, live_server, demo):
    """The ballot is swapped by polls and votes: #ballot-live (never swapped) reads out what
    changed, and a keyboard vote leaves focus on the chosen level, not at the top of the page."""
    follow_up, facilitator = demo["follow_up"], demo["users"]["facilitator"]
    services.domain_next(follow_up, facilitator)  # A1, not open yet
    phone = _page_as(browser, live_server, None, 375, 667, mobile=True)
    phone.goto(f"{live_server.url}/join/?code={follow_up.join_code}")
    phone.locator("input[name=sector][value=school]").check()
    phone.get_by_role("button", name="Join").click()
    live = phone.locator("#ballot-live")
    expect(live).to_have_attribute("aria-live", "polite")
    services.voting_open(follow_up, facilitator)
    expect(live).to_have_text("Voting open: A1 Agreed point of contact.", timeout=6_000)
    phone.locator("#ballot button[name=level][value='1']").focus()
    phone.keyboard.press("Enter")
    expect(live).to_have_text("Vote recorded: 1 Elements of good practice.")
    assert phone.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"
    assert phone.evaluate("document.activeElement.value") == "1"
    services.round_reveal(follow_up, facilitator)
    # After the reveal the phone also reads out its own vote beside the room's (benchmarking).
    expect(live).to_have_text(
        "Voting closed on A1. You said 1; the suggestion is 1: 1 of 1 say 1 or above.", timeout=6_000
    )
    phone.context.close()


# page -> (user, path, name of the main action the keyboard must reach)
def _keyboard_journeys(demo):
    fu = demo["follow_up"].pk
    return [
        (None, "/accounts/login/", "Log in"),
        (None, "/join/", "Join"),
        ("facilitator", "/", "New workshop"),
        ("facilitator", "/workshops/new/", "Save workshop"),
        ("facilitator", f"/workshops/{fu}/", "Live console"),
        ("facilitator", f"/workshops/{fu}/live/", "Confirm level"),
        ("facilitator", f"/workshops/{fu}/plan/", "Save review"),
        ("lead", "/action-items/", "Filter"),
        ("admin", "/reports/import/", "Check and import"),
    ]


def test_the_keyboard_reaches_the_skip_link_then_the_main_action_with_a_visible_focus(
    browser, live_server, demo
):
    failures = []
    for role, path, action in _keyboard_journeys(demo):
        page = _page_as(browser, live_server, demo["users"].get(role) if role else None)
        page.goto(live_server.url + path)
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUS_RING_JS)
        if not first or first["name"] != "Skip to main content" or not first["ring"]:
            failures.append(f"{path}: first Tab reached {first}")
        page.keyboard.press("Enter")
        if page.evaluate("document.activeElement.id") != "main":
            failures.append(f"{path}: the skip link did not move focus to the main content")
        for _ in range(40):
            page.keyboard.press("Tab")
            stop = page.evaluate(FOCUS_RING_JS)
            if stop is None:
                break
            # Inside a date field, Chromium moves focus to its own calendar button, which draws
            # its own ring; the field itself has ours.
            if not stop["ring"] and stop["type"] != "date":
                failures.append(f"{path}: no visible focus on {stop}")
            if stop["name"] == action:
                break
        else:
            failures.append(f"{path}: 40 Tabs did not reach {action!r}")
        if stop is None or stop["name"] != action:
            failures.append(f"{path}: never reached {action!r}")
        page.context.close()
    assert failures == []


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_the_projector_fits_one_screen_with_text_readable_from_the_back(
    browser, live_server, demo, width, height
):
    follow_up, facilitator = demo["follow_up"], demo["users"]["facilitator"]
    page = _page_as(browser, live_server, facilitator, width, height)
    url = f"{live_server.url}/workshops/{follow_up.pk}/live/projector/"
    smallest_allowed = 0.022 * height  # 2.2% of the screen: 23.8 px at 1080, 15.8 px at 720
    problems, sizes = [], {}

    def check(what: str, reload: bool = True) -> None:
        if reload:
            page.goto(url)
        expect(page.locator("#stage")).to_be_visible()
        scroll = page.evaluate("document.documentElement.scrollHeight")
        if scroll > height + 1:
            problems.append(f"{what}: {scroll} px tall on a {height} px screen")
        texts = page.evaluate(ROOM_TEXT_JS)
        smallest = min(texts)
        sizes[what] = round(smallest[0], 1)
        if smallest[0] < smallest_allowed:
            problems.append(f"{what}: {smallest[1]!r} at {smallest[0]:.1f} px")

    check("C1 revealed")  # the demo fixture revealed C1: chart, verdict, sector table
    for domain in follow_up.framework.domains.order_by("position"):
        services.domain_go(follow_up, facilitator, domain.pk)
        check(f"{domain.code} before voting")
        if domain.code in ("C1", "S"):  # the vote counter joins the join panel while voting
            services.voting_open(follow_up, facilitator, domain.pk)
            check(f"{domain.code} voting")
    # The projector is left open all morning: a poll swap to a long domain fits it too.
    services.domain_go(follow_up, facilitator, follow_up.framework.domains.get(code="C2").pk)
    page.goto(url)
    services.domain_go(follow_up, facilitator, follow_up.framework.domains.get(code="S").pk)
    expect(page.locator(".stage-title")).to_have_text("Structures for shared planning", timeout=6_000)
    check("S after a poll", reload=False)
    for domain in follow_up.framework.domains.order_by("position"):
        services.consensus_confirm(follow_up, facilitator, domain.pk, 1, reason="agreed in the room")
    check("summary")
    page.context.close()
    assert problems == [], sizes
    assert min(sizes.values()) >= smallest_allowed


def test_the_audit_finds_what_it_looks_for(page):
    """The checks above cannot pass by finding nothing: a page with every fault fails each."""
    page.set_content(
        '<html><body><h1>a</h1><h1>b</h1><input id="x"><select id="x"></select><button></button>'
        '<a href="/"></a><svg width="9" height="9"><rect width="9" height="9"/></svg></body></html>'
    )
    problems = " | ".join(_audit(page))
    for fault in (
        "no lang",
        "2 h1",
        "duplicate ids ['x']",
        "form control without a name: <input",
        "form control without a name: <select",
        "button or link without a name: <button",
        "button or link without a name: <a",
        "graphic without a name: <svg",
    ):
        assert fault in problems
    page.set_viewport_size({"width": 320, "height": 568})
    page.set_content('<html lang="en"><body><div class="x">' + "w" * 200 + "</div></body></html>")
    assert page.evaluate(OVERFLOW_JS)
    page.set_content('<html lang="en"><body><a href="/" class="bare">x</a></body></html>')
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_RING_JS)["ring"] is False  # Chromium's default ring is 1px auto
