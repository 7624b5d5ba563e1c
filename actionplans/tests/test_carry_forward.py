"""At a follow-up, the previous workshop's actions come up for review; the review stays with it."""

from __future__ import annotations

import datetime as dt

import pytest

from actionplans.models import ItemReview
from actionplans.queries import review_rows, reviewed_workshop
from workshops.models import Workshop

from .conftest import add_item

pytestmark = pytest.mark.django_db


def test_a_draft_never_run_is_skipped_for_the_review(users, workshop, follow_up, client_for):
    add_item(workshop, description="Name a link worker")
    follow_up.phase = 3
    follow_up.save(update_fields=["phase"])
    draft = Workshop.objects.create(
        area=workshop.area,
        programme=workshop.programme,
        framework=workshop.framework,
        phase=2,
        title="Draft",
        date=dt.date(2027, 1, 1),
    )
    assert reviewed_workshop(follow_up) == workshop and reviewed_workshop(draft) == workshop
    content = client_for(users["facilitator"]).get(f"/workshops/{follow_up.pk}/plan/").content.decode()
    assert "Name a link worker" in content


def review(client, follow_up, item, status, note=""):
    prefix = f"review-{item.pk}"
    return client.post(
        f"/workshops/{follow_up.pk}/plan/review/{item.pk}/",
        {f"{prefix}-status": status, f"{prefix}-note": note, f"{prefix}-version": "0"},
    )


def test_the_follow_up_lists_the_previous_items_for_review(
    users, workshop, follow_up, other_workshop, client_for
):
    add_item(workshop, description="Name a link worker", owner_name="Siân", status="in_progress")
    add_item(other_workshop, description="Someone else's action")
    content = client_for(users["facilitator"]).get(f"/workshops/{follow_up.pk}/plan/").content.decode()
    assert "Actions from the previous workshop" in content
    assert "Name a link worker" in content and "Siân" in content and "In progress" in content
    assert "Someone else&#x27;s action" not in content
    baseline_page = client_for(users["facilitator"]).get(f"/workshops/{workshop.pk}/plan/").content.decode()
    assert "Actions from the previous workshop" not in baseline_page


def test_a_review_is_stored_with_the_follow_up(users, workshop, follow_up, client_for):
    item = add_item(workshop, status="in_progress")
    response = review(client_for(users["facilitator"]), follow_up, item, "done", "Guide published in May")
    assert response.status_code == 302 and response["Location"].endswith("#review")
    saved = ItemReview.objects.get()
    assert (saved.workshop, saved.item, saved.status, saved.note) == (
        follow_up,
        item,
        "done",
        "Guide published in May",
    )
    assert saved.reviewed_by == users["facilitator"] and saved.reviewed_at is not None
    item.refresh_from_db()
    assert item.status == "in_progress"  # the baseline's record is left as it was
    page = client_for(users["lead"]).get(f"/workshops/{follow_up.pk}/plan/review/").content.decode()
    assert "Guide published in May" in page and "Done" in page


def test_only_the_previous_workshops_items_can_be_reviewed(
    users, workshop, follow_up, other_workshop, client_for
):
    client = client_for(users["facilitator"])
    stranger = add_item(other_workshop)
    own = add_item(follow_up)
    assert review(client, follow_up, stranger, "done").status_code == 404
    assert review(client, follow_up, own, "done").status_code == 404
    assert not ItemReview.objects.exists()


def test_a_bad_status_is_a_form_error_and_writes_nothing(users, workshop, follow_up, client_for):
    item = add_item(workshop)
    response = review(client_for(users["facilitator"]), follow_up, item, "finished")
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not ItemReview.objects.exists()


def test_items_still_open_carry_on_to_the_next_follow_up(users, workshop, follow_up, facilitator):
    open_item = add_item(workshop, description="Still going")
    done_item = add_item(workshop, description="Finished")
    ItemReview.objects.create(
        workshop=follow_up, item=open_item, status="in_progress", note="Half way", version=1
    )
    ItemReview.objects.create(workshop=follow_up, item=done_item, status="done", version=1)
    add_item(follow_up, description="New at the follow-up")
    third = Workshop.objects.create(
        area=workshop.area,
        programme=workshop.programme,
        framework=workshop.framework,
        phase=3,
        title="Second follow-up",
        date=dt.date(2027, 9, 1),
    )
    rows = review_rows(third, reviewed_workshop(third))
    by_description = {row.item.description: row for row in rows}
    assert set(by_description) == {"Still going", "New at the follow-up"}
    assert by_description["Still going"].status_before == "in_progress"
    assert by_description["Still going"].note_before == "Half way"


def test_review_rows_take_a_fixed_number_of_queries(workshop, follow_up, django_assert_num_queries):
    for n in (2, 25):
        for i in range(n):
            item = add_item(workshop, description=f"Item {n}-{i}")
            ItemReview.objects.create(workshop=follow_up, item=item, status="done", version=1)
        # items, their owners' updates by link, reviews
        with django_assert_num_queries(3):
            review_rows(follow_up, workshop)


def test_an_htmx_review_answers_with_the_section_and_a_notice(users, workshop, follow_up, client_for):
    item = add_item(workshop)
    prefix = f"review-{item.pk}"
    response = client_for(users["facilitator"]).post(
        f"/workshops/{follow_up.pk}/plan/review/{item.pk}/",
        {f"{prefix}-status": "dropped", f"{prefix}-note": "No longer needed", f"{prefix}-version": "0"},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert content.lstrip().startswith("<section") and "Review saved." in content
    assert f'name="{prefix}-version" value="1"' in content
    assert ItemReview.objects.get().status == "dropped"
