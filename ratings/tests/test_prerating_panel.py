"""The facilitator's "Rating before the day" panel on the workshop page: open and close the
window, link, QR and invitation, counts by sector and per domain, never the distribution."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ratings import services
from ratings.models import Sector
from ratings.prerating import DEFAULT_CLOSING_TIME
from ratings.tests.prerating_helpers import join, open_window, pre_rate
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def _window(client, workshop, **data):
    return client.post(f"/workshops/{workshop.pk}/prerating/", data)


def _future(hours: int = 30) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_the_facilitator_opens_it_with_a_closing_time(workshop, facilitator, client_for):
    client = client_for(facilitator)
    response = _window(client, workshop, action="open", closes_at=_future())
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.prerating_opened_at is not None
    expected = timezone.now() + dt.timedelta(hours=30)
    assert abs(workshop.prerating_closes_at - expected) < dt.timedelta(minutes=2)
    page = client.get(f"/workshops/{workshop.pk}/").content.decode()
    assert "Rating before the day is open until" in page
    assert f"http://testserver/join/?code={workshop.join_code}" in page
    assert 'class="qr-code"' in page and 'id="prerating-invitation"' in page
    assert "Nobody sees your answers before the day" in page


def test_the_closing_time_defaults_to_the_start_of_the_workshop(workshop, facilitator, client_for):
    Workshop.objects.filter(pk=workshop.pk).update(date=timezone.localdate() + dt.timedelta(days=3))
    assert _window(client_for(facilitator), workshop, action="open", closes_at="").status_code == 302
    workshop.refresh_from_db()
    closes = timezone.localtime(workshop.prerating_closes_at)
    assert closes.date() == workshop.date and closes.time() == DEFAULT_CLOSING_TIME


def test_the_form_is_prefilled_with_the_default_closing_time(workshop, facilitator, client_for):
    page = client_for(facilitator).get(f"/workshops/{workshop.pk}/").content.decode()
    assert f'value="{workshop.date:%Y-%m-%d}T09:00"' in page and "Open rating before the day" in page


def test_it_rejects_a_closing_time_in_the_past_and_changes_nothing(workshop, facilitator, client_for):
    response = _window(client_for(facilitator), workshop, action="open", closes_at="2020-01-01T09:00")
    assert response.status_code == 400 and "in the future" in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.prerating_opened_at is None


def test_it_rejects_a_malformed_closing_time(workshop, facilitator, client_for):
    response = _window(client_for(facilitator), workshop, action="open", closes_at="next tuesday")
    assert response.status_code == 400 and "date and time" in response.content.decode()


def test_it_rejects_opening_on_a_live_or_closed_workshop(workshop, facilitator, client_for):
    services.workshop_start(workshop, facilitator)
    response = _window(client_for(facilitator), workshop, action="open", closes_at=_future())
    assert response.status_code == 409 and "has started" in response.content.decode()
    services.workshop_close(workshop, facilitator)
    response = _window(client_for(facilitator), workshop, action="open", closes_at=_future())
    assert response.status_code == 409 and "has closed" in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.prerating_opened_at is None


def test_the_facilitator_closes_it_early(workshop, facilitator, client_for):
    open_window(workshop, facilitator)
    assert _window(client_for(facilitator), workshop, action="close").status_code == 302
    workshop.refresh_from_db()
    assert workshop.prerating_closes_at <= timezone.now()
    assert "Closed" in client_for(facilitator).get(f"/workshops/{workshop.pk}/").content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("other_facilitator", 404), ("lead", 404), ("other_lead", 404), ("admin", 302), ("anonymous", 302)],
)
def test_only_the_workshops_facilitators_and_admins_change_the_window(
    workshop, users, client_for, role, status
):
    response = _window(client_for(users[role]), workshop, action="open", closes_at=_future())
    assert response.status_code == status
    workshop.refresh_from_db()
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    assert (workshop.prerating_opened_at is not None) == (role == "admin")


def test_a_lead_sees_no_panel(workshop, facilitator, users, client_for):
    open_window(workshop, facilitator)
    page = client_for(users["lead"]).get(f"/workshops/{workshop.pk}/").content.decode()
    assert "Rating before the day" not in page and workshop.join_code not in page


def test_counts_by_sector_and_per_domain_but_never_the_distribution(workshop, facilitator, client_for):
    open_window(workshop, facilitator)
    for sector, level in [(Sector.SCHOOL, 3), (Sector.SCHOOL, 3), (Sector.NHS_CYPMHS, 0)]:
        phone, _ = join(workshop, sector=sector)
        pre_rate(phone, workshop, 1, level, "Evidence text ABC")
        pre_rate(phone, workshop, 2, None)
    join(workshop)  # joined, has not rated
    page = client_for(facilitator).get(f"/workshops/{workshop.pk}/").content.decode()
    assert '<strong data-testid="pre-rated-count">3</strong> of 4 joined' in page
    assert "School or college: 2" in page and "NHS children&#x27;s mental health service: 1" in page
    assert "Evidence text ABC" not in page  # nothing of what was said
    panel = page.split('id="prerating-heading"')[1].split("</section>")[0]
    rows = dict(re.findall(r'domain-code">(\w+)</span>[^<]*</th><td class="text-end">(\d+)<', panel))
    assert rows == {"C1": "3", "A1": "3", "S": "0", "C2": "0", "A2": "0", "D": "0", "E": "0"}
    assert "Suggested" not in panel and "level-chip" not in panel


def test_the_workshop_page_takes_the_same_queries_for_5_and_50_participants(
    workshop, facilitator, client_for
):
    open_window(workshop, facilitator)
    client = client_for(facilitator)
    counts = []
    made = 0
    for size in (5, 50):
        while made < size:
            phone, _ = join(workshop, sector=list(Sector.values)[made % 6])
            pre_rate(phone, workshop, 1 + made % 7, made % 4, "n")
            made += 1
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/workshops/{workshop.pk}/").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts


def test_a_started_workshop_without_a_window_shows_no_panel(workshop, facilitator, client_for):
    services.workshop_start(workshop, facilitator)
    page = client_for(facilitator).get(f"/workshops/{workshop.pk}/").content.decode()
    assert "Rating before the day" not in page
