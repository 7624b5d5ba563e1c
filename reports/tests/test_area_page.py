"""The area page: an area's workshops in time order with agreed levels, totals, changes and a chart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workshops.framework_data import create_framework, read_cascade
from workshops.models import Area, Descriptor, Domain, Framework, Level, Workshop

from .report_factories import rate, rated_workshop

pytestmark = pytest.mark.django_db

ROLES = ["facilitator", "other_facilitator", "lead", "other_lead", "admin", "anonymous"]
AREA_OK = {"facilitator", "lead", "admin"}  # facilitator runs a workshop of the area; lead leads it


@pytest.fixture
def history(area, programme, framework, workshop, django_user_model):
    """North Shire: the baseline (fixture workshop) then a follow-up run by someone else."""
    rate(workshop, [1, 2, 1, 0, 1, 1, 0])
    someone_else = django_user_model.objects.create_user("followup", password="pw")
    return rated_workshop(
        area,
        programme,
        framework,
        2,
        [2, 2, 0, 1, 2, 1, 1],
        date=dt.date(2027, 3, 1),
        facilitator=someone_else,
    )


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, users, area, other_area, other_workshop, history, client_for):
    client = client_for(users[role])
    response = client.get(f"/areas/{area.pk}/")
    listing = client.get("/areas/")
    if role == "anonymous":
        assert response.status_code == listing.status_code == 302
        assert "/login/" in response["Location"]
        return
    assert response.status_code == (200 if role in AREA_OK else 404)
    assert listing.status_code == 200
    assert (f'href="/areas/{area.pk}/"' in listing.content.decode()) == (role in AREA_OK)
    expected_other = role in {"other_facilitator", "other_lead", "admin"}
    assert (client.get(f"/areas/{other_area.pk}/").status_code == 200) == expected_other


def test_a_user_with_no_role_gets_404_and_no_menu_entry(django_user_model, area, history, client_for):
    nobody = django_user_model.objects.create_user("nobody", password="pw")
    client = client_for(nobody)
    assert client.get(f"/areas/{area.pk}/").status_code == 404
    assert 'href="/areas/"' not in client.get("/").content.decode()


def test_the_menu_offers_areas_to_leads_facilitators_and_admins(users, client_for):
    for role in ("facilitator", "lead", "admin"):
        assert 'href="/areas/"' in client_for(users[role]).get("/").content.decode(), role


def test_it_shows_levels_totals_and_changes_in_time_order(lead, area, workshop, history, client_for):
    page = client_for(lead).get(f"/areas/{area.pk}/").content.decode()
    assert page.index("Baseline") < page.index("North Shire phase 2")
    assert "of 21" in page
    # Baseline total 6; follow-up 9, up 3; S went down 1; A1 unchanged.
    assert '<td class="text-center fw-bold">6</td>' in page
    assert '<td class="text-center fw-bold">9</td>' in page
    assert "▲</span>3" in page
    assert "▼</span>1" in page
    assert "no change from the workshop before" in page
    assert "<svg" in page and "Agreed level per domain, by workshop (North Shire)" in page


def test_it_links_only_workshops_the_user_may_open(facilitator, lead, area, workshop, history, client_for):
    as_facilitator = client_for(facilitator).get(f"/areas/{area.pk}/").content.decode()
    assert f'href="/workshops/{workshop.pk}/"' in as_facilitator
    assert f'href="/workshops/{history.pk}/"' not in as_facilitator
    assert "North Shire phase 2" in as_facilitator
    as_lead = client_for(lead).get(f"/areas/{area.pk}/").content.decode()
    assert f'href="/workshops/{history.pk}/"' in as_lead


def test_an_unfinished_workshop_has_no_total_yet(lead, area, workshop, client_for):
    rate(workshop, {"C1": 2, "A1": 1})
    page = client_for(lead).get(f"/areas/{area.pk}/").content.decode()
    assert "incomplete" in page and "not agreed" in page


def test_workshops_of_another_framework_get_their_own_table(admin_user, area, workshop, history, client_for):
    data = read_cascade()
    data["name"] = "Mini framework"
    data["domains"] = data["domains"][:2]
    mini = create_framework(data, Framework, Level, Domain, Descriptor)
    rated_workshop(area, None, mini, 3, [3, 3], date=dt.date(2028, 1, 1))
    page = client_for(admin_user).get(f"/areas/{area.pk}/").content.decode()
    assert "Agreed levels: Mini framework" in page
    assert "of 6" in page  # two domains, levels 0..3


def test_an_area_without_workshops(admin_user, client_for):
    empty = Area.objects.create(code="EMP", name="Empty")
    assert (
        "No workshops for this area yet."
        in client_for(admin_user).get(f"/areas/{empty.pk}/").content.decode()
    )


def test_the_page_takes_the_same_number_of_queries_however_many_workshops(
    facilitator, area, framework, workshop, client_for
):
    client = client_for(facilitator)
    rate(workshop, [1] * 7)
    client.get(f"/areas/{area.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/areas/{area.pk}/")
    for phase in range(2, 12):
        w = rated_workshop(area, None, framework, phase, [phase % 4] * 7, facilitator=facilitator)
        assert isinstance(w, Workshop)
    with CaptureQueriesContext(connection) as many:
        page = client.get(f"/areas/{area.pk}/").content.decode()
    assert page.count("<tr>") >= 12
    assert len(few) == len(many)


def test_a_facilitator_of_another_area_cannot_open_it_after_trying_to_create_a_workshop(
    users, area, other_area, workshop, history, client_for
):
    from tests.intruder import attempt_workshop_in_foreign_area

    client = client_for(users["other_facilitator"])
    attempt_workshop_in_foreign_area(client, area, workshop.framework, workshop.programme, phase=5)
    assert client.get(f"/areas/{area.pk}/").status_code == 404
    assert f'href="/areas/{area.pk}/"' not in client.get("/areas/").content.decode()
