"""List pages stay one size however many workshops and areas there are (issue 10)."""

from __future__ import annotations

import datetime as dt

import pytest

from actionplans.tests.conftest import add_item
from workshops.models import Area, Workshop

pytestmark = pytest.mark.django_db


def _many(area_lead, programme, framework, facilitator, n: int) -> list[Workshop]:
    made = []
    for i in range(n):
        area = Area.objects.create(code=f"M{i:03d}", name=f"Many area {i:03d}")
        area.leads.add(area_lead)
        w = Workshop.objects.create(
            area=area,
            programme=programme,
            framework=framework,
            title=f"Many {i:03d}",
            date=dt.date(2026, 1, 1),
        )
        w.facilitators.add(facilitator)
        made.append(w)
    return made


def test_the_home_page_searches_areas_by_name_instead_of_listing_them(
    users, workshop, programme, framework, client_for
):
    _many(users["lead"], programme, framework, users["facilitator"], 30)
    client = client_for(users["facilitator"])
    page = client.get("/").content.decode()
    assert 'name="area"' in page and "<option" not in page.split('name="area"')[1].split("</div>")[0]
    assert page.count("<tr") == 1 + 25  # the header and one page of rows
    found = client.get("/", {"area": "area 007"}).content.decode()
    assert "Many 007" in found and "Many 008" not in found and workshop.title not in found


def test_the_home_page_refuses_an_overlong_area_search(users, workshop, client_for):
    response = client_for(users["facilitator"]).get("/", {"area": "x" * 101})
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()


def test_the_action_items_page_lists_the_latest_workshops_and_searches_areas(
    users, workshop, programme, framework, client_for
):
    many = _many(users["lead"], programme, framework, users["facilitator"], 25)
    add_item(many[3], description="Third's action")
    add_item(workshop, description="Home action")
    client = client_for(users["lead"])
    page = client.get("/action-items/").content.decode()
    plans = page.split('id="plans-title"')[1]
    assert plans.count("<li>") == 20 and "find the others on" in plans
    assert "<option" not in page.split('name="area_name"')[1].split("</div>")[0]
    found = client.get("/action-items/", {"area_name": "area 003"}).content.decode()
    assert "Third&#x27;s action" in found and "Home action" not in found
    by_id = client.get("/action-items/", {"area": workshop.area.pk}).content.decode()
    assert "Home action" in by_id and "Third&#x27;s action" not in by_id
