"""Two people editing the same thing: the second save never silently overwrites the first."""

from __future__ import annotations

import pytest

from actionplans.models import ActionItem, DomainPlan, ItemReview

from .conftest import add_item, domain, item_post, plan_post

pytestmark = pytest.mark.django_db


def test_a_stale_domain_save_shows_both_versions_and_keeps_the_first(users, closed, client_for):
    c1 = domain(closed, "C1")
    fran, lee = client_for(users["facilitator"]), client_for(users["lead"])
    url = f"/workshops/{closed.pk}/plan/domain/C1/"
    # Both opened the page at version 0; Fran saves first.
    assert fran.post(url, plan_post(c1.pk, version=0, challenges="Fran's challenges")).status_code == 302
    response = lee.post(url, plan_post(c1.pk, version=0, challenges="Lee's <challenges>"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else saved this while you were editing: Facilitator" in content
    assert "Fran&#x27;s challenges" in content  # theirs, shown
    assert "Lee&#x27;s &lt;challenges&gt;" in content  # mine, kept in the box and the comparison
    assert DomainPlan.objects.get().challenges == "Fran's challenges"
    # The form now carries the saved version: saving the merged text goes through.
    assert f'name="plan-{c1.pk}-version" value="1"' in content
    merged = "Fran's challenges\nLee's <challenges>"
    assert lee.post(url, plan_post(c1.pk, version=1, challenges=merged)).status_code == 302
    plan = DomainPlan.objects.get()
    assert plan.challenges == merged and plan.version == 2 and plan.updated_by == users["lead"]


def test_the_htmx_partial_shows_the_conflict_too(users, workshop, client_for):
    c1 = domain(workshop, "C1")
    DomainPlan.objects.create(workshop=workshop, domain=c1, working_well="Saved", version=4)
    response = client_for(users["facilitator"]).post(
        f"/workshops/{workshop.pk}/plan/domain/C1/",
        plan_post(c1.pk, version=3, working_well="Typed"),
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert response.status_code == 200 and content.lstrip().startswith("<section")
    assert "Someone else saved this" in content and "Saved" in content and "Typed" in content
    assert DomainPlan.objects.get().working_well == "Saved"


def test_a_stale_item_save_shows_both_versions(users, workshop, client_for):
    item = add_item(workshop, note="Theirs", version=2)
    response = client_for(users["facilitator"]).post(
        f"/workshops/{workshop.pk}/plan/items/{item.pk}/",
        item_post(f"item-{item.pk}", version=1, note="Mine"),
    )
    content = response.content.decode()
    assert response.status_code == 200 and "Someone else saved this" in content
    assert "Theirs" in content and "Mine" in content
    assert ActionItem.objects.get().note == "Theirs"
    assert f'name="item-{item.pk}-version" value="2"' in content


def test_saving_an_item_someone_deleted_says_so(users, workshop, client_for):
    item = add_item(workshop)
    url = f"/workshops/{workshop.pk}/plan/items/{item.pk}/"
    client = client_for(users["facilitator"])
    # The row goes between the page load and the save: the view finds it, the service does not.
    from actionplans import views

    original = views.action_item_update

    def delete_then_update(item, **kwargs):
        ActionItem.objects.filter(pk=item.pk).delete()
        return original(item, **kwargs)

    views.action_item_update = delete_then_update
    try:
        response = client.post(url, item_post(f"item-{item.pk}", version=1, note="x"), follow=True)
    finally:
        views.action_item_update = original
    assert "Someone deleted this action while you were editing it" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_a_stale_delete_is_refused(users, workshop, client_for):
    item = add_item(workshop, version=2)
    response = client_for(users["facilitator"]).post(
        f"/workshops/{workshop.pk}/plan/items/{item.pk}/delete/", {"version": "1"}, follow=True
    )
    assert "Someone changed this action since you loaded it" in response.content.decode()
    assert ActionItem.objects.exists()


def test_a_stale_review_shows_both_versions(users, workshop, follow_up, client_for):
    item = add_item(workshop)
    ItemReview.objects.create(workshop=follow_up, item=item, status="done", note="Theirs", version=1)
    prefix = f"review-{item.pk}"
    response = client_for(users["facilitator"]).post(
        f"/workshops/{follow_up.pk}/plan/review/{item.pk}/",
        {f"{prefix}-status": "dropped", f"{prefix}-note": "Mine", f"{prefix}-version": "0"},
    )
    content = response.content.decode()
    assert response.status_code == 200 and "Someone else saved this" in content
    assert "Theirs" in content and "Mine" in content and "Dropped" in content
    assert ItemReview.objects.get().status == "done"
