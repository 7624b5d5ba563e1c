"""In Chromium, the smaller findings of issue 23: four priorities refused on the console beside
the boxes (by htmx, without leaving the page), a phone's one state while dots and notes are
open, and the pre-rating invitation's loopback warning, each with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from actionplans.dots import dots_open
from actionplans.models import DomainPlan
from actionplans.notes_services import notes_open, retry_if_locked
from ratings import services
from ratings.prerating import prerating_open
from tests.axe import assert_axe_clean
from tests.test_accessibility import _page_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_four_priorities_are_refused_beside_the_boxes(browser, live_server, workshop, facilitator):
    services.workshop_start(workshop, facilitator)
    dots_open(workshop, facilitator)
    page = _page_as(browser, live_server, facilitator, 1366, 768)
    console = f"{live_server.url}/workshops/{workshop.pk}/live/"
    page.goto(console)
    for code in ("A1", "C2", "D", "E"):
        page.get_by_label(re.compile(f"^{code} ")).check()
    page.get_by_role("button", name="Confirm priorities").click()
    error = page.locator("#priorities-error")
    expect(error).to_have_text(
        "At most 3 domains can be priorities for change; you ticked 4: A1, C2, D, E. Untick 1 of them."
    )
    assert page.url == console  # swapped in place: still the console
    expect(page.locator("#priorities fieldset")).to_have_attribute("aria-describedby", "priorities-error")
    expect(page.get_by_label(re.compile("^E "))).to_be_checked()
    assert_axe_clean(page, "console refusing four priorities")
    page.get_by_label(re.compile("^E ")).uncheck()
    page.get_by_role("button", name="Confirm priorities").click()
    expect(page.get_by_text("Priorities confirmed: A1, C2, D.")).to_be_visible()
    codes = DomainPlan.objects.filter(workshop=workshop, is_priority=True).values_list(
        "domain__code", flat=True
    )
    assert sorted(codes) == ["A1", "C2", "D"]
    page.context.close()


def test_a_phone_shows_one_state_while_dots_and_notes_are_open(browser, live_server, workshop, facilitator):
    services.workshop_start(workshop, facilitator)
    phone = _page_as(browser, live_server, None, 375, 667, mobile=True)
    phone.goto(f"{live_server.url}/join/?code={workshop.join_code}")
    phone.locator("input[name=sector][value=school]").check()
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator("h1")).to_have_count(1)
    phone.goto("about:blank")
    retry_if_locked(services.domain_go)(workshop, facilitator, None)  # no domain on the screen
    retry_if_locked(dots_open)(workshop, facilitator)
    retry_if_locked(notes_open)(workshop, facilitator, None)
    phone.goto(f"{live_server.url}/p/{workshop.join_code}/")
    expect(phone.locator("h1")).to_have_text("Over to you: priorities and notes")
    expect(phone.get_by_role("link", name="Place your dots")).to_be_visible()
    expect(phone.get_by_role("link", name="Write notes")).to_be_visible()
    expect(phone.get_by_text("All done")).to_have_count(0)
    assert_axe_clean(phone, "phone with dots and notes open")
    phone.context.close()


def test_the_invitation_warns_of_a_loopback_address(browser, live_server, workshop, facilitator):
    import datetime as dt

    from django.utils import timezone

    prerating_open(workshop, facilitator, timezone.now() + dt.timedelta(hours=30))
    page = _page_as(browser, live_server, facilitator)
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/")
    expect(page.locator("#prerating-loopback")).to_contain_text("Phones cannot use this address")
    assert_axe_clean(page, "workshop page with a loopback invitation")
    page.context.close()
