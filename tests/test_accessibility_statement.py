"""The accessibility statement: public, in the regulations' form, linked from every page's footer."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from tests.axe import axe_violations
from workshops.accessibility import LAST_CHECKED

REQUIRED_SECTIONS = [
    "How accessible this service is",
    "What is known not to be accessible",
    "Reporting accessibility problems",
    "Enforcement procedure",
    "How we tested this service",
]


@pytest.mark.django_db
def test_anyone_can_read_the_statement_in_the_regulations_form(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1 and "Accessibility statement" in page
    for section in REQUIRED_SECTIONS:
        assert f"<h2>{section}</h2>" in page, section
    assert f'last checked on <time datetime="{LAST_CHECKED:%Y-%m-%d}">' in page
    assert "axe-core" in page and "PDF/UA-1" in page and "pdftotext" in page
    assert "Public Sector Bodies" in page and "WCAG" in page.replace("Web Content", "WCAG")


@pytest.mark.django_db
@override_settings(ACCESSIBILITY_CONTACT_EMAIL="access@example.org")
def test_it_names_the_configured_address_for_reporting_a_problem(client):
    page = client.get("/accessibility/").content.decode()
    assert 'href="mailto:access@example.org"' in page


@pytest.mark.django_db
def test_without_an_address_it_names_the_facilitator(client):
    page = client.get("/accessibility/").content.decode()
    assert "mailto:" not in page and "facilitator of your workshop" in page


@pytest.mark.django_db
def test_it_answers_post_with_405(client):
    assert client.post("/accessibility/").status_code == 405


@pytest.mark.django_db
def test_every_page_and_print_preview_links_the_statement_from_its_footer(
    client, client_for, facilitator, workshop
):
    footer = re.compile(r'<footer class="site-footer"><a href="/accessibility/">Accessibility statement</a>')
    assert footer.search(client.get("/accounts/login/").content.decode())
    staff = client_for(facilitator)
    for url in [
        "/",
        f"/workshops/{workshop.pk}/",
        f"/workshops/{workshop.pk}/paper/ballot/",
        f"/workshops/{workshop.pk}/live/projector/",
    ]:
        assert footer.search(staff.get(url).content.decode()), url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_statement_passes_axe(page, live_server):
    page.goto(f"{live_server.url}/accessibility/")
    assert page.locator("h1").count() == 1
    assert not axe_violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Accessibility statement").click()
    assert page.url.endswith("/accessibility/")
