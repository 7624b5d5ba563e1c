"""Area pages and programme reports in Chromium: menus, chart, sorting, no CSP violations."""

from __future__ import annotations

import datetime as dt

import pytest

from ratings.models import Consensus
from tests.conftest import log_in
from workshops.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rate(workshop: Workshop, levels: list[int]) -> None:
    for domain, level in zip(workshop.framework.domains.order_by("position"), levels, strict=True):
        Consensus.objects.create(workshop=workshop, domain=domain, level=level)


@pytest.fixture
def two_phases(area, other_area, programme, framework, workshop, other_workshop):
    _rate(workshop, [1, 2, 1, 0, 1, 1, 0])
    _rate(other_workshop, [0, 0, 1, 0, 0, 1, 0])
    for a, levels in ((area, [2, 2, 2, 1, 2, 1, 1]), (other_area, [3, 1, 1, 1, 1, 1, 1])):
        follow_up = Workshop.objects.create(
            area=a,
            programme=programme,
            framework=framework,
            phase=2,
            title="Follow-up",
            date=dt.date(2027, 3, 1),
        )
        _rate(follow_up, levels)
    return programme


def _watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return problems


def test_an_admin_opens_a_programme_report_and_sorts_it(page, live_server, admin_user, two_phases):
    problems = _watch_console(page)
    log_in(page, live_server, "admin", "pw-admin")
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Test programme").click()
    assert page.get_by_role("heading", name="Test programme").is_visible()
    assert page.get_by_role("img", name="Mean agreed level per domain, phase 1 and phase 2").is_visible()
    rows = page.locator("table.report-areas tbody tr")
    assert rows.first.inner_text().startswith("Riverside")  # +8 before North Shire's +5
    page.locator("table.report-areas").get_by_role("link", name="Change").click()
    page.wait_for_url("**a-sort=change**")
    assert page.locator("table.report-areas tbody tr").first.inner_text().startswith("North Shire")
    page.screenshot(path="/tmp/cascade-programme-report.png", full_page=True)
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_a_ccg_lead_finds_their_area_page_from_the_menu(page, live_server, lead, two_phases):
    problems = _watch_console(page)
    log_in(page, live_server, "lead", "pw-lead")
    page.get_by_role("link", name="Areas").click()
    assert page.get_by_role("link", name="Riverside").count() == 0
    page.get_by_role("link", name="North Shire").click()
    assert page.get_by_role("heading", name="North Shire").is_visible()
    assert page.get_by_role("img", name="Agreed level per domain, by workshop (North Shire)").is_visible()
    assert page.get_by_role("link", name="Follow-up").is_visible()
    page.screenshot(path="/tmp/cascade-area.png", full_page=True)
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
