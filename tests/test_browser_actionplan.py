"""Action plan in Chromium: htmx swaps one domain's section in place, under the strict CSP."""

from __future__ import annotations

import pytest

from actionplans.models import ActionItem, DomainPlan
from actionplans.tests.conftest import add_item
from tests.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_facilitator_edits_the_plan_in_place(page, live_server, facilitator, workshop):
    add_item(workshop, "C1", description="Draft the guide", version=1)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    log_in(page, live_server, "facilitator", "pw-facilitator")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/workshops/{workshop.pk}/plan/")

    section = page.locator("#domain-S")
    section.get_by_label("Challenges").fill('Colleges rarely attend\n<script>alert("x")</script>')
    section.get_by_role("button", name="Save S notes").click()
    section.get_by_text("Saved.").wait_for()
    assert page.url.endswith(f"/workshops/{workshop.pk}/plan/")  # no reload: the section was swapped
    page.wait_for_function("document.activeElement.textContent === 'Saved.'")  # focus follows the swap
    assert DomainPlan.objects.get().challenges == 'Colleges rarely attend\n<script>alert("x")</script>'

    c1 = page.locator("#domain-C1")
    c1.get_by_role("link", name="Edit action: Draft the guide").click()
    c1.locator("select[name$=-status]").first.select_option("in_progress")
    c1.get_by_role("button", name="Save action").click()
    c1.get_by_text("Action saved.").wait_for()
    assert ActionItem.objects.get().status == "in_progress"

    page.locator("#domain-E summary").click()
    page.locator("#domain-E").get_by_label("Action").fill("Map school interventions")
    page.locator("#domain-E").get_by_role("button", name="Add action").click()
    page.locator("#domain-E").get_by_text("Action added.").wait_for()
    assert ActionItem.objects.filter(domain__code="E", description="Map school interventions").exists()
    assert problems == []
