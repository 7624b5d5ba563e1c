"""Each named user against each page of the live workshop.

Facilitators of the workshop and admins drive it; the area's CCG lead sees results
read-only; everyone else gets 404 (anonymous users are sent to log in).
"""

from __future__ import annotations

import pytest

from ratings.identity import poll_token
from ratings.models import Consensus

ROLES = ["facilitator", "other_facilitator", "lead", "other_lead", "admin", "anonymous"]
DRIVE = dict(facilitator=200, other_facilitator=404, lead=404, other_lead=404, admin=200, anonymous=302)
READ = dict(facilitator=200, other_facilitator=404, lead=200, other_lead=404, admin=200, anonymous=302)
ACT = dict(facilitator=302, other_facilitator=404, lead=404, other_lead=404, admin=302, anonymous=302)

GET_PAGES = {
    "/workshops/{pk}/live/": DRIVE,
    "/workshops/{pk}/live/projector/": DRIVE,
    "/workshops/{pk}/results/": READ,
    "/workshops/{pk}/": READ,  # the workshop page with the ratings panel
}
ACTIONS = ["start", "open", "reveal", "hands", "confirm", "go", "next", "close"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(GET_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_pages(page, role, users, workshop, client_for):
    url = page.format(pk=workshop.pk)
    response = client_for(users[role]).get(url)
    assert response.status_code == GET_PAGES[page][role], url
    if response.status_code == 302:
        assert "/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_start_action(role, users, workshop, client_for):
    response = client_for(users[role]).post(f"/workshops/{workshop.pk}/live/action/start/")
    assert response.status_code == ACT[role]
    workshop.refresh_from_db()
    assert (workshop.status == "live") == (role in {"facilitator", "admin"})


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["other_facilitator", "lead", "other_lead", "anonymous"])
def test_no_one_else_can_drive_any_action(action, role, users, live_workshop, client_for):
    domain = live_workshop.current_domain
    before = live_workshop.state_version
    response = client_for(users[role]).post(
        f"/workshops/{live_workshop.pk}/live/action/{action}/",
        {"domain": domain.pk, "level": 1, "reason": "x"},
    )
    assert response.status_code == (302 if role == "anonymous" else 404)
    live_workshop.refresh_from_db()
    assert live_workshop.state_version == before and not Consensus.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_poll(role, users, live_workshop, facilitator, client_for):
    token = poll_token(live_workshop.pk, facilitator.pk)
    response = client_for(users[role]).get(
        f"/workshops/{live_workshop.pk}/live/poll/", {"t": token, "s": "x"}
    )
    expected = dict(
        facilitator=200, other_facilitator=404, lead=404, other_lead=404, admin=200, anonymous=403
    )
    assert response.status_code == expected[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_participant_pages_need_the_phone_cookie(role, users, live_workshop, client_for):
    """Staff accounts are not participants: without the phone cookie they are sent to join."""
    client = client_for(users[role])
    code = live_workshop.join_code
    assert client.get("/join/").status_code == 200
    assert client.get(f"/p/{code}/").status_code == 302
    assert client.get(f"/p/{code}/poll/").status_code == 403
    assert client.post(f"/p/{code}/vote/", {"round": 1, "level": 1}).status_code == 403


@pytest.mark.django_db
def test_a_lead_sees_results_but_no_controls(users, workshop, client_for):
    page = client_for(users["lead"]).get(f"/workshops/{workshop.pk}/").content.decode()
    assert "Ratings" in page and "Summary" in page
    assert "/live/" not in page
    summary = client_for(users["lead"]).get(f"/workshops/{workshop.pk}/results/").content.decode()
    assert "Back to the console" not in summary


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(GET_PAGES))
def test_a_facilitator_of_another_area_stays_out_after_trying_to_create_a_workshop(
    page, users, workshop, other_area, client_for
):
    from tests.intruder import attempt_workshop_in_foreign_area

    client = client_for(users["other_facilitator"])
    attempt_workshop_in_foreign_area(client, workshop.area, workshop.framework, workshop.programme)
    assert client.get(page.format(pk=workshop.pk)).status_code == 404
