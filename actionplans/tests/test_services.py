"""Saving plans, items and reviews: versions, conflicts, the priority limit and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from actionplans.models import ActionItem, DomainPlan, ItemReview, PlanEdit
from actionplans.services import (
    EditConflict,
    ItemInUse,
    PriorityLimitReached,
    action_item_create,
    action_item_delete,
    action_item_update,
    domain_plan_save,
    item_review_save,
)

from .conftest import add_item, add_plan, domain

pytestmark = pytest.mark.django_db


def notes(**fields):
    return {"working_well": "", "challenges": "", "next_steps": "", "is_priority": False} | fields


def item_data(**fields):
    return {
        "description": "Write the guide",
        "owner_name": "Siân",
        "owner_organisation": "CAMHS",
        "due_date": dt.date(2026, 12, 1),
        "status": "not_started",
        "note": "",
    } | fields


def test_the_first_save_creates_the_plan_and_records_who_and_when(workshop, facilitator):
    plan = domain_plan_save(
        workshop, domain(workshop, "C1"), data=notes(working_well="Good links"), version=0, user=facilitator
    )
    assert plan.version == 1 and plan.updated_by == facilitator and plan.updated_at is not None
    edit = PlanEdit.objects.get()
    assert edit.edited_by == facilitator and edit.kind == "plan"
    assert edit.changes == {"working_well": ["", "Good links"]}


def test_a_stale_version_raises_a_conflict_and_writes_nothing(workshop, facilitator, lead):
    c1 = domain(workshop, "C1")
    domain_plan_save(workshop, c1, data=notes(challenges="Mine"), version=0, user=facilitator)
    with pytest.raises(EditConflict) as conflict:
        domain_plan_save(workshop, c1, data=notes(challenges="Theirs"), version=0, user=lead)
    assert conflict.value.current.challenges == "Mine"
    assert DomainPlan.objects.get().challenges == "Mine"
    assert PlanEdit.objects.count() == 1


def test_a_stale_save_of_identical_text_is_no_conflict(workshop, facilitator, lead):
    c1 = domain(workshop, "C1")
    domain_plan_save(workshop, c1, data=notes(challenges="Same"), version=0, user=facilitator)
    plan = domain_plan_save(workshop, c1, data=notes(challenges="Same"), version=0, user=lead)
    assert plan.version == 1 and plan.updated_by == facilitator


def test_at_most_three_priorities(workshop, facilitator):
    for code in ("C1", "S", "E"):
        domain_plan_save(
            workshop, domain(workshop, code), data=notes(is_priority=True), version=0, user=facilitator
        )
    with pytest.raises(PriorityLimitReached, match="C1, S, E"):
        domain_plan_save(
            workshop, domain(workshop, "D"), data=notes(is_priority=True), version=0, user=facilitator
        )
    assert DomainPlan.objects.filter(is_priority=True).count() == 3
    assert not DomainPlan.objects.filter(domain__code="D", is_priority=True).exists()
    # Saving one already chosen again is fine.
    domain_plan_save(
        workshop,
        domain(workshop, "S"),
        data=notes(is_priority=True, next_steps="x"),
        version=1,
        user=facilitator,
    )


def test_item_create_update_and_audit(workshop, facilitator):
    item = action_item_create(workshop, domain(workshop, "S"), data=item_data(), user=facilitator)
    assert item.version == 1 and item.created_by == facilitator
    item = action_item_update(item, data=item_data(status="done", note="Sent"), version=1, user=facilitator)
    assert (item.status, item.note, item.version) == ("done", "Sent", 2)
    kinds = list(PlanEdit.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["item_added", "item_changed"]
    assert PlanEdit.objects.get(kind="item_changed").changes == {
        "status": ["not_started", "done"],
        "note": ["", "Sent"],
    }


def test_item_update_refuses_a_stale_version(workshop, facilitator, lead):
    item = add_item(workshop, version=3, description="Old")
    with pytest.raises(EditConflict) as conflict:
        action_item_update(item, data=item_data(description="New"), version=2, user=lead)
    assert conflict.value.current.version == 3
    assert ActionItem.objects.get().description == "Old"


def test_item_update_of_a_deleted_item_says_so(workshop, lead):
    item = add_item(workshop)
    ActionItem.objects.all().delete()
    with pytest.raises(EditConflict) as conflict:
        action_item_update(item, data=item_data(description="New"), version=1, user=lead)
    assert conflict.value.current is None


def test_delete_checks_the_version_and_keeps_reviewed_items(workshop, follow_up, facilitator):
    item = add_item(workshop, version=2)
    with pytest.raises(EditConflict):
        action_item_delete(item, version=1, user=facilitator)
    ItemReview.objects.create(workshop=follow_up, item=item, status="done", version=1)
    with pytest.raises(ItemInUse):
        action_item_delete(item, version=2, user=facilitator)
    ItemReview.objects.all().delete()
    action_item_delete(item, version=2, user=facilitator)
    assert not ActionItem.objects.exists()
    edit = PlanEdit.objects.get(kind="item_deleted")
    assert edit.edited_by == facilitator and "Write the guide" in edit.summary


def test_review_is_stored_with_the_follow_up_and_leaves_the_item_alone(workshop, follow_up, facilitator):
    item = add_item(workshop, status="in_progress")
    review = item_review_save(
        follow_up, item, data={"status": "done", "note": "Finished"}, version=0, user=facilitator
    )
    assert (review.workshop, review.status, review.version, review.reviewed_by) == (
        follow_up,
        "done",
        1,
        facilitator,
    )
    item.refresh_from_db()
    assert item.status == "in_progress"
    with pytest.raises(EditConflict):
        item_review_save(follow_up, item, data={"status": "dropped", "note": ""}, version=0, user=facilitator)
    assert PlanEdit.objects.filter(kind="review", workshop=follow_up).count() == 1


def test_unchanged_saves_write_no_audit_entry(workshop, facilitator):
    add_plan(workshop, "C1", working_well="Same")
    domain_plan_save(
        workshop, domain(workshop, "C1"), data=notes(working_well="Same"), version=1, user=facilitator
    )
    assert not PlanEdit.objects.exists()
