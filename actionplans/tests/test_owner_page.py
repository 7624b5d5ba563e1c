"""The owner's page by personal link: only their actions, status and a short note, nothing
else; revoked and expired links say so; bad input changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from actionplans.models import ActionItem, OwnerLink, OwnerUpdate
from actionplans.owner_models import OWNER_NOTE_MAX
from actionplans.owners import owner_link_create
from workshops.models import Workshop

from .conftest import add_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(workshop):
    return add_item(workshop, description="Mine", owner_email="Ann@Example.org")


@pytest.fixture
def page(workshop, mine) -> str:
    url = owner_link_create(workshop, "ann@example.org")
    return url[url.index("/a/") :]


def post(page: str, item: ActionItem, status: str = "done", note: str = "") -> object:
    return Client().post(
        page, {"item": item.pk, f"item-{item.pk}-status": status, f"item-{item.pk}-note": note}
    )


def test_the_page_lists_only_the_owners_actions(workshop, mine, page):
    add_item(workshop, description="Someone else's", owner_email="bob@example.org")
    html = Client().get(page).content.decode()
    assert "Mine" in html and "Someone else" not in html
    assert OwnerLink.objects.get(email="ann@example.org").opened_at is not None


def test_the_token_is_not_stored(workshop, page):
    raw = page.split("/")[2]
    assert not OwnerLink.objects.filter(token_hash=raw).exists()
    assert raw not in str(list(OwnerLink.objects.values_list("token_hash", flat=True)))


def test_it_rejects_an_unknown_link():
    assert Client().get(reverse("owner_page", args=["not-a-token"])).status_code == 404


def test_it_rejects_a_revoked_link_and_says_so(workshop, mine, page, facilitator, client_for):
    response = client_for(facilitator).post(
        reverse("owners_revoke", args=[workshop.pk]), {"email": "ann@example.org"}
    )
    assert response.status_code == 302
    gone = Client().get(page)
    assert gone.status_code == 410 and "revoked" in gone.content.decode()
    assert post(page, mine).status_code == 410
    mine.refresh_from_db()
    assert mine.status == "not_started" and not OwnerUpdate.objects.exists()


def test_it_rejects_a_link_once_the_follow_up_has_closed(workshop, follow_up, mine, page):
    Workshop.objects.filter(pk=follow_up.pk).update(status=Workshop.Status.CLOSED)
    gone = Client().get(page)
    assert gone.status_code == 410 and "expired" in gone.content.decode()


def test_it_refuses_a_note_too_long_and_changes_nothing(mine, page):
    response = post(page, mine, note="x" * (OWNER_NOTE_MAX + 1))
    assert response.status_code == 400
    assert "at most 1000 characters" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "not_started" and not OwnerUpdate.objects.exists()


def test_it_refuses_an_unknown_status(mine, page):
    assert post(page, mine, status="finished").status_code == 400
    assert not OwnerUpdate.objects.exists()


def test_it_refuses_an_action_that_is_not_the_owners(workshop, mine, page):
    other = add_item(workshop, description="Bob's", owner_email="bob@example.org")
    assert post(page, other).status_code == 404
    other.refresh_from_db()
    assert other.status == "not_started"


def test_an_update_keeps_everything_else_of_the_action(mine, page):
    post(page, mine, status="in_progress", note="Half way")
    mine.refresh_from_db()
    assert (mine.description, mine.status, mine.note) == ("Mine", "in_progress", "")
    assert OwnerUpdate.objects.get().note == "Half way"


def test_only_facilitators_and_leads_send_or_revoke_links(workshop, mine, users, client_for):
    for name in ("other_facilitator", "other_lead"):
        assert client_for(users[name]).post(reverse("owners_notify", args=[workshop.pk])).status_code == 404
    assert Client().post(reverse("owners_notify", args=[workshop.pk])).status_code == 302  # to log in
    response = client_for(users["lead"]).post(
        reverse("owners_revoke", args=[workshop.pk]), {"email": "x@y.org"}
    )
    assert response.status_code == 400


def test_the_plan_page_warns_when_links_would_point_to_this_computer(
    workshop, mine, facilitator, client_for, settings
):
    settings.PUBLIC_URL = ""
    html = client_for(facilitator).get(reverse("actionplan_edit", args=[workshop.pk])).content.decode()
    assert "Owners cannot use these links" in html
    settings.PUBLIC_URL = "https://cascade.example.org"
    html = client_for(facilitator).get(reverse("actionplan_edit", args=[workshop.pk])).content.decode()
    assert "Owners’ links" in html and "Owners cannot use these links" not in html


def test_the_update_shows_at_the_follow_ups_review(workshop, follow_up, mine, page, facilitator, client_for):
    post(page, mine, status="in_progress", note="Booked the hall")
    html = client_for(facilitator).get(reverse("actionplan_review", args=[follow_up.pk])).content.decode()
    assert "Booked the hall" in html and "updated by the owner by link" in html


def test_the_areas_lead_revokes_a_link(workshop, mine, page, lead, client_for):
    response = client_for(lead).post(
        reverse("owners_revoke", args=[workshop.pk]), {"email": "ann@example.org"}
    )
    assert response.status_code == 302
    assert Client().get(page).status_code == 410
    assert OwnerLink.objects.filter(revoked_by=lead).exists()


def test_a_revoked_owner_can_be_sent_a_new_link_and_the_old_one_stays_dead(
    workshop, mine, page, facilitator, client_for
):
    from actionplans.owners import owner_is_revoked, owner_notices_queue

    staff = client_for(facilitator)
    staff.post(reverse("owners_revoke", args=[workshop.pk]), {"email": "ann@example.org"})
    assert owner_is_revoked(workshop.pk, "ann@example.org")
    assert owner_notices_queue(workshop) == 0  # no new link by itself
    assert (
        staff.post(reverse("owners_notify", args=[workshop.pk]), {"email": "ann@example.org"}).status_code
        == 302
    )
    assert not owner_is_revoked(workshop.pk, "ann@example.org")
    fresh = OwnerLink.objects.order_by("-pk").first()
    assert fresh.revoked_at is None
    assert Client().get(page).status_code == 410  # the revoked link stays revoked
    assert staff.post(reverse("owners_notify", args=[workshop.pk]), {"email": "x@y.org"}).status_code == 400


def test_the_page_takes_a_fixed_number_of_queries(workshop, mine, page, django_assert_max_num_queries):
    for i in range(5):
        add_item(workshop, description=f"Also mine {i}", owner_email="ann@example.org")
        OwnerUpdate.objects.create(workshop=workshop, item=mine, status="in_progress")
    with django_assert_max_num_queries(5):  # link, follow-up, opened, items, their updates
        assert Client().get(page).status_code == 200
