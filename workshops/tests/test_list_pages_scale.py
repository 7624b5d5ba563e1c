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


def test_the_rows_cheap_helpers_write_what_django_writes():
    from django.urls import reverse
    from django.utils.dateformat import format as date_format

    from workshops.tables import pk_url, short_date

    for day in (dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(1999, 5, 9)):
        assert short_date(day) == date_format(day, "j M Y")
    for name in ("workshop_detail", "area_detail", "actionplan_pdf", "actionplan_preview"):
        assert pk_url(name)(42) == reverse(name, args=[42])


@pytest.mark.parametrize("url", ["/", "/areas/", "/action-items/"])
def test_each_list_page_takes_the_same_queries_at_5_and_60_workshops(
    url, users, workshop, programme, framework, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(users["facilitator" if url == "/" else "lead"])
    counts = []
    for prefix, n in (("F", 4), ("G", 55)):  # 5 workshops with the fixture's, then 60
        for i in range(n):
            area = Area.objects.create(code=f"{prefix}{i:03d}", name=f"{prefix} area {i:03d}")
            area.leads.add(users["lead"])
            w = Workshop.objects.create(
                area=area,
                programme=None,
                framework=framework,
                title=f"{prefix} {i}",
                date=dt.date(2026, 2, 1),
            )
            w.facilitators.add(users["facilitator"])
            add_item(w, description=f"Action of {w.title}")
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert Workshop.objects.count() == 60
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("sort", ["title", "-area", "programme", "phase", "-date", "status"])
def test_every_home_column_sorts(users, workshop, programme, framework, client_for, sort):
    _many(users["lead"], programme, framework, users["facilitator"], 3)
    page = client_for(users["facilitator"]).get(f"/?sort={sort}")
    assert page.status_code == 200 and page.content.decode().count("<tr") == 1 + 4
