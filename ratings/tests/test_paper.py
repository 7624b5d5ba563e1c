"""Paper ballots: an A4 ballot and a tally sheet per domain, as PDF and HTML preview."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_ballot_preview_lists_every_domain_with_its_levels_and_not_sure(
    workshop, client_for, facilitator
):
    page = client_for(facilitator).get(f"/workshops/{workshop.pk}/paper/ballot/").content.decode()
    assert workshop.title in page and workshop.join_code_display in page and "1 September 2026" in page
    assert page.count('class="paper-domain"') == 7
    assert page.count('class="tick-box"') == 7 * 5  # four levels and "not sure" per domain
    assert "Clarity on roles" in page and "Gold standard" in page and "Not sure" in page


def test_the_tally_sheets_have_a_page_per_domain(workshop, client_for, facilitator):
    page = client_for(facilitator).get(f"/workshops/{workshop.pk}/paper/tally/").content.decode()
    assert page.count('class="tally-page"') == 7 and "Show of hands" in page


@pytest.mark.parametrize("sheet", ["ballot", "tally"])
def test_each_sheet_downloads_as_a_pdf(workshop, client_for, facilitator, sheet):
    response = client_for(facilitator).get(f"/workshops/{workshop.pk}/paper/{sheet}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and workshop.join_code in response["Content-Disposition"]


def test_only_the_workshops_facilitators_get_the_sheets(
    workshop, client_for, other_facilitator, lead, client
):
    for user in (other_facilitator, lead):
        assert client_for(user).get(f"/workshops/{workshop.pk}/paper/ballot/").status_code == 404
        assert client_for(user).get(f"/workshops/{workshop.pk}/paper/ballot.pdf").status_code == 404
    assert client.get(f"/workshops/{workshop.pk}/paper/ballot/").status_code == 302  # log in first


def test_an_unknown_sheet_is_404(workshop, client_for, facilitator):
    assert client_for(facilitator).get(f"/workshops/{workshop.pk}/paper/menu/").status_code == 404


def test_console_and_workshop_page_link_the_paper_ballots(live_workshop, client_for, facilitator):
    client = client_for(facilitator)
    url = f"/workshops/{live_workshop.pk}/paper/ballot/"
    assert url in client.get(f"/workshops/{live_workshop.pk}/live/").content.decode()
    assert url in client.get(f"/workshops/{live_workshop.pk}/").content.decode()
