"""The CCG leads' "Action items" page and its CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from actionplans.models import ItemReview

from .conftest import add_item

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def rows(client, query: str = "") -> list[dict]:
    response = client.get("/action-items/export.csv" + query)
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def test_open_items_by_due_date_overdue_first(users, workshop, other_workshop, client_for):
    add_item(workshop, description="Later", due_date=days(30))
    add_item(workshop, description="Undated")
    add_item(workshop, description="Overdue a lot", due_date=days(-20), status="in_progress")
    add_item(workshop, description="Overdue a bit", due_date=days(-1))
    add_item(workshop, description="Soon", due_date=days(3))
    add_item(workshop, description="Done long ago", due_date=days(-90), status="done")
    add_item(other_workshop, description="Other area")
    listed = [row["Action"] for row in rows(client_for(users["lead"]))]
    assert listed == ["Overdue a lot", "Overdue a bit", "Soon", "Later", "Undated"]
    page = client_for(users["lead"]).get("/action-items/").content.decode()
    assert page.index("Overdue a lot") < page.index("Soon") < page.index("Undated")
    assert page.count("Overdue</span>") == 2 and "Other area" not in page and "Done long ago" not in page


def test_admins_see_every_area(users, workshop, other_workshop, client_for):
    add_item(workshop, description="Ours")
    add_item(other_workshop, description="Theirs")
    assert {row["Action"] for row in rows(client_for(users["admin"]))} == {"Ours", "Theirs"}
    assert [row["Action"] for row in rows(client_for(users["other_lead"]))] == ["Theirs"]


def test_a_later_review_updates_the_status_shown(users, workshop, follow_up, client_for):
    item = add_item(workshop, description="Reviewed", due_date=days(-5))
    ItemReview.objects.create(workshop=follow_up, item=item, status="done", note="Finished", version=1)
    add_item(workshop, description="Still open", due_date=days(-5))
    client = client_for(users["lead"])
    assert [row["Action"] for row in rows(client)] == ["Still open"]
    done = rows(client, "?state=done")
    assert [(row["Action"], row["Status"], row["Latest note"], row["Overdue"]) for row in done] == [
        ("Reviewed", "Done", "Finished", "")
    ]


def test_filters(users, workshop, client_for):
    add_item(workshop, "C1", description="A", owner_name="Siân Roberts", due_date=days(-2))
    add_item(workshop, "E", description="B", owner_organisation="Hillside Academy", due_date=days(5))
    add_item(workshop, "E", description="C", status="dropped")
    client = client_for(users["lead"])
    assert [r["Action"] for r in rows(client, "?domain=E")] == ["B"]
    assert [r["Action"] for r in rows(client, "?owner=hillside")] == ["B"]
    assert [r["Action"] for r in rows(client, "?owner=si%C3%A2n")] == ["A"]
    assert [r["Action"] for r in rows(client, "?overdue=on")] == ["A"]
    assert [r["Action"] for r in rows(client, "?state=all")] == ["A", "B", "C"]
    assert [r["Action"] for r in rows(client, f"?area={workshop.area.pk}&state=dropped")] == ["C"]


def test_bad_filters_answer_400_or_show_errors(users, workshop, other_workshop, client_for):
    client = client_for(users["lead"])
    response = client.get(f"/action-items/export.csv?area={other_workshop.area.pk}")
    assert response.status_code == 400 and b"area" in response.content
    page = client.get("/action-items/?state=nonsense")
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()


def test_csv_cells_cannot_run_formulas_and_keep_welsh_names(users, workshop, client_for):
    add_item(workshop, description='=HYPERLINK("http://evil")', owner_name="Gwenllïan Dŵr")
    row = rows(client_for(users["lead"]))[0]
    assert row["Action"].startswith("'=") and row["Owner"] == "Gwenllïan Dŵr"


def test_the_csv_export_follows_the_page_filters(users, workshop, client_for):
    add_item(workshop, "E", description="Evidence map")
    page = client_for(users["lead"]).get("/action-items/?domain=E").content.decode()
    assert 'href="/action-items/export.csv?domain=E"' in page


def test_the_page_links_each_workshops_pdf(users, workshop, other_workshop, client_for):
    page = client_for(users["lead"]).get("/action-items/").content.decode()
    assert f'href="/workshops/{workshop.pk}/plan.pdf"' in page
    assert f'href="/workshops/{other_workshop.pk}/plan.pdf"' not in page


def test_the_query_count_does_not_grow_with_items(
    users, workshop, follow_up, client_for, django_assert_max_num_queries
):
    client = client_for(users["lead"])
    counts = []
    for n in (2, 40):
        for i in range(n):
            item = add_item(workshop, description=f"Item {n}-{i}", due_date=days(i - 10))
            if i % 2:
                ItemReview.objects.create(workshop=follow_up, item=item, status="in_progress", version=1)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as page_queries:
            assert client.get("/action-items/").status_code == 200
        with CaptureQueriesContext(connection) as csv_queries:
            assert client.get("/action-items/export.csv").status_code == 200
        counts.append((len(page_queries), len(csv_queries)))
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 12


@pytest.mark.parametrize("per_page", ["-1", "100000"])
def test_a_per_page_out_of_range_falls_back_to_the_default(users, workshop, client_for, per_page):
    for i in range(60):
        add_item(workshop, description=f"Item {i}")
    response = client_for(users["lead"]).get(f"/action-items/?per_page={per_page}")
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == 25


@pytest.mark.parametrize(
    "sort", ["due_date", "-description", "domain", "owner_name", "current_status", "area", "-workshop"]
)
def test_every_column_sorts(users, workshop, client_for, sort):
    add_item(workshop, description="Zebra", owner_name="Ann")
    add_item(workshop, description="Aardvark", owner_name="Bob")
    page = client_for(users["lead"]).get(f"/action-items/?sort={sort}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Zebra" in body and "Aardvark" in body
    if sort == "-description":
        assert body.index("Zebra") < body.index("Aardvark")
