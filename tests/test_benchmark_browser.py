"""The benchmark in Chromium on the demo's twenty-area pilot: the area page and the results page
of a CCG lead, and a phone after a reveal; axe-clean, no CSP violation, nothing too wide."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ratings import services
from ratings.models import Participant, Sector, Vote
from reports.demo import DEMO_PROGRAMME, seed_report_demo
from tests.axe import assert_axe_clean
from tests.conftest import log_in
from workshops.models import CCG_LEADS_GROUP, FACILITATORS_GROUP, Area, Programme, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/cascade-benchmark.png"  # README: static/reports/readme/benchmark.png

TOO_WIDE_JS = """(width) => [...document.querySelectorAll('body *')].filter(el => {
  const r = el.getBoundingClientRect();
  if (!r.width || r.right <= width + 0.5) return false;
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
    if (getComputedStyle(a).overflowX !== 'visible') return false;
  return true;
}).map(el => el.tagName + '.' + el.className)"""


@pytest.fixture
def pilot(reference_data):
    seed_report_demo()
    lead = get_user_model().objects.create_user("calder", password="pw-calder")
    lead.groups.add(Group.objects.get(name=CCG_LEADS_GROUP))
    area = Area.objects.get(code="P03")
    area.leads.add(lead)
    return area


def _csp_problems(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return problems


def test_a_lead_sees_their_area_against_the_pilot(page, live_server, pilot):
    problems = _csp_problems(page)
    log_in(page, live_server, "calder", "pw-calder")
    page.goto(f"{live_server.url}/areas/{pilot.pk}/")
    section = page.locator("section.benchmark")
    assert section.get_by_role("heading", name=f"Compared with {DEMO_PROGRAMME}").is_visible()
    assert section.get_by_role(
        "img", name=f"Calder Moor against the mean of {DEMO_PROGRAMME}, phase 2"
    ).is_visible()
    assert "of 18" in section.inner_text()
    assert "Ashford Vale" not in page.content()  # another area of the pilot
    assert_axe_clean(page, "area page with its benchmark")
    section.screenshot(path=SCREENSHOT)
    follow_up = Workshop.objects.get(area=pilot, phase=2)
    page.goto(f"{live_server.url}/workshops/{follow_up.pk}/results/")
    assert page.get_by_role("heading", name=f"Compared with {DEMO_PROGRAMME}").is_visible()
    assert_axe_clean(page, "results page with its benchmark")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_the_comparison_fits_a_small_phone(browser, live_server, pilot):
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "calder", "pw-calder")
    page.goto(f"{live_server.url}/areas/{pilot.pk}/")
    assert page.locator("section.benchmark table").is_visible()
    assert page.evaluate(TOO_WIDE_JS, 320) == []
    assert_axe_clean(page, "area page with its benchmark at 320 px")
    context.close()


def test_a_phone_sees_its_own_vote_beside_the_room(phone_page, live_server, pilot, django_user_model):
    facilitator = django_user_model.objects.create_user("fac", password="pw-fac")
    facilitator.groups.add(Group.objects.get(name=FACILITATORS_GROUP))
    workshop = Workshop.objects.create(
        area=pilot,
        programme=Programme.objects.get(name=DEMO_PROGRAMME),
        framework=Workshop.objects.filter(area=pilot).first().framework,
        phase=3,
        title="Calder Moor third look",
        date=dt.date(2026, 12, 1),
    )
    workshop.facilitators.add(facilitator)
    services.workshop_start(workshop, facilitator)
    rnd = services.voting_open(workshop, facilitator)
    phone_page.goto(f"{live_server.url}/join/?code={workshop.join_code}")
    phone_page.locator(f"input[name=sector][value={Sector.SCHOOL}]").check()
    phone_page.get_by_role("button", name="Join").click()
    ballot = phone_page.locator("form[data-domain='C1'][data-round='1']")
    ballot.wait_for()
    ballot.locator("button[name=level][value='2']").click()
    phone_page.locator("#ballot button[aria-pressed=true]").wait_for()
    for level in (2, 2, 1, 1, 1, 1, 1, 0, 0):
        Vote.objects.create(
            round=rnd,
            participant=Participant.objects.create(workshop=workshop, sector=Sector.OTHER),
            level=level,
        )
    services.round_reveal(workshop, facilitator)
    line = phone_page.locator(".own-vote")
    line.wait_for()  # the poll brings the revealed ballot
    assert (
        "You said 2; the suggestion is 1: 8 of 10 say 1 or above, 3 of 10 say 2 or above."
        in line.inner_text()
    )
    assert phone_page.evaluate(TOO_WIDE_JS, 375) == []
    assert_axe_clean(phone_page, "phone ballot after a reveal")
