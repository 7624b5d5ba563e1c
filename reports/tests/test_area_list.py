"""The area list: a page of 25, a search, and the same cost with 5 areas or 120."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workshops.models import Area

pytestmark = pytest.mark.django_db


def _areas(n: int, lead=None, prefix: str = "Area") -> list[Area]:
    areas = Area.objects.bulk_create(
        Area(code=f"{prefix[:2].upper()}{i:04d}", name=f"{prefix} {i:04d}") for i in range(n)
    )
    if lead is not None:
        for area in areas:
            area.leads.add(lead)
    return areas


def test_it_shows_25_areas_a_page(admin_user, client_for):
    _areas(26)
    client = client_for(admin_user)
    first = client.get("/areas/").content.decode()
    assert "Area 0024" in first and "Area 0025" not in first and "Page 1 of 2" in first
    assert first.count("<tr") == 1 + 25  # the header and one page of rows
    second = client.get("/areas/?page=2").content.decode()
    assert "Area 0025" in second and "Area 0000" not in second


def test_it_finds_an_area_by_name_or_code(admin_user, client_for):
    _areas(3)
    Area.objects.create(code="YM", name="Ynys Môn")
    page = client_for(admin_user).get("/areas/", {"q": "môn"}).content.decode()
    assert "Ynys Môn" in page and "Area 0000" not in page
    assert "Ynys Môn" in client_for(admin_user).get("/areas/", {"q": "ym"}).content.decode()
    nothing = client_for(admin_user).get("/areas/", {"q": "<b>zz</b>"}).content.decode()
    assert "No area matches" in nothing and "<b>zz</b>" not in nothing


def test_a_bad_page_number_shows_a_page(admin_user, client_for):
    _areas(3)
    for page in ("x", "999", "-1"):
        assert client_for(admin_user).get("/areas/", {"page": page}).status_code == 200


def test_a_lead_sees_only_their_areas(lead, other_lead, client_for):
    _areas(2, lead=lead, prefix="Mine")
    _areas(2, lead=other_lead, prefix="Theirs")
    page = client_for(lead).get("/areas/").content.decode()
    assert "Mine 0000" in page and "Theirs" not in page


@pytest.mark.parametrize("n", [5, 120])
def test_the_query_count_does_not_grow_with_the_areas(n, admin_user, client_for):
    _areas(n)
    client = client_for(admin_user)
    client.get("/areas/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/areas/").status_code == 200
    assert len(queries) <= 8, [q["sql"] for q in queries]
