"""Writes that span several models: every change to a plan also writes its audit entry.

Concurrency: each save names the `version` of the row it started from. The workshop row is
locked for the length of the write (so the priority limit holds between two tabs), and the
update only applies when the version is unchanged; otherwise EditConflict carries what is
saved now, so the page can show both versions and let the user merge.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from workshops.models import Domain, Workshop

from .models import ActionItem, DomainPlan, ItemReview, PlanEdit, plan_change_labels
from .rules import ITEM_FIELDS, PLAN_FIELDS, changed_fields, priority_limit_error

OPTIONAL_ITEM_FIELDS = ("owner_email",)
REVIEW_FIELDS = ("status", "note")


class EditConflict(Exception):
    """Someone saved (or deleted) the row after this user loaded it."""

    def __init__(self, current):
        super().__init__("The row changed since it was loaded.")
        self.current = current  # the saved row now, or None when it was deleted


class PriorityLimitReached(Exception):
    """Marking one more priority domain would exceed the limit."""


class ItemInUse(Exception):
    """The item was reviewed at a later workshop; deleting it would lose that review."""


def _lock(workshop: Workshop) -> None:
    # Serialises plan writes per workshop on PostgreSQL (SQLite serialises all writes anyway).
    list(Workshop.objects.select_for_update().filter(pk=workshop.pk).values_list("pk"))


def _masked(changes: dict) -> dict:
    """Plan history is append-only, so it never holds an owner's address: only that it changed."""
    if "owner_email" in changes:
        changes["owner_email"] = ["an address" if v else "" for v in changes["owner_email"]]
    return changes


def _snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


@transaction.atomic
def domain_plan_save(workshop: Workshop, domain: Domain, *, data: dict, version: int, user) -> DomainPlan:
    """Save one domain's notes and priority flag if nobody else saved since `version`."""
    _lock(workshop)
    plan, _ = DomainPlan.objects.select_related("updated_by").get_or_create(workshop=workshop, domain=domain)
    values = {name: data[name] for name in PLAN_FIELDS}
    changes = changed_fields(_snapshot(plan, PLAN_FIELDS), values)
    if not changes:
        return plan  # nothing to write, even from a stale page: the texts already agree
    if plan.version != version:
        raise EditConflict(plan)
    if values["is_priority"] and not plan.is_priority:
        current = (
            DomainPlan.objects.filter(workshop=workshop, is_priority=True)
            .exclude(pk=plan.pk)
            .order_by("domain__position")
            .values_list("domain__code", flat=True)
        )
        error = priority_limit_error(list(current), domain.code)
        if error:
            raise PriorityLimitReached(error)
    updated = DomainPlan.objects.filter(pk=plan.pk, version=version).update(
        **values, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    if not updated:  # second line of defence: the UPDATE itself re-checks the version
        plan.refresh_from_db()
        raise EditConflict(plan)
    PlanEdit.objects.create(
        workshop=workshop,
        domain=domain,
        kind=PlanEdit.Kind.PLAN,
        summary=f"{domain.code}: {plan_change_labels(changes)}",
        changes=changes,
        edited_by=user,
    )
    plan.refresh_from_db()
    return plan


@transaction.atomic
def action_item_create(workshop: Workshop, domain: Domain, *, data: dict, user) -> ActionItem:
    values = {name: data[name] for name in ITEM_FIELDS if name not in OPTIONAL_ITEM_FIELDS}
    values.update({name: data.get(name, "") for name in OPTIONAL_ITEM_FIELDS})
    item = ActionItem.objects.create(
        workshop=workshop,
        domain=domain,
        **values,
        created_by=user,
        updated_by=user,
        updated_at=timezone.now(),
    )
    PlanEdit.objects.create(
        workshop=workshop,
        domain=domain,
        item=item,
        kind=PlanEdit.Kind.ITEM_ADDED,
        summary=f"{domain.code}: {item.description[:150]}",
        changes=_masked(changed_fields({}, values)),
        edited_by=user,
    )
    return item


def _current_item(pk: int) -> ActionItem | None:
    return ActionItem.objects.select_related("updated_by", "domain").filter(pk=pk).first()


@transaction.atomic
def action_item_update(item: ActionItem, *, data: dict, version: int, user) -> ActionItem:
    """Save an item if nobody else saved or deleted it since `version`."""
    _lock(item.workshop)
    current = _current_item(item.pk)
    if current is None:
        raise EditConflict(None)
    # Callers that do not know the optional fields (notes made into actions) keep them as saved.
    values = {
        name: getattr(current, name) if name in OPTIONAL_ITEM_FIELDS and name not in data else data[name]
        for name in ITEM_FIELDS
    }
    changes = changed_fields(_snapshot(current, ITEM_FIELDS), values)
    if not changes:
        return current
    if current.version != version:
        raise EditConflict(current)
    ActionItem.objects.filter(pk=item.pk, version=version).update(
        **values, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    PlanEdit.objects.create(
        workshop_id=current.workshop_id,
        domain_id=current.domain_id,
        item=current,
        kind=PlanEdit.Kind.ITEM_CHANGED,
        summary=f"{current.domain.code}: {values['description'][:150]}",
        changes=_masked(changes),
        edited_by=user,
    )
    return _current_item(item.pk)


@transaction.atomic
def action_item_delete(item: ActionItem, *, version: int, user) -> None:
    """Delete an item unless it changed since `version` or a later workshop reviewed it."""
    _lock(item.workshop)
    current = _current_item(item.pk)
    if current is None:
        return  # already gone: the user's wish is fulfilled
    if current.version != version:
        raise EditConflict(current)
    if ItemReview.objects.filter(item=current).exists():
        raise ItemInUse(
            "This action was reviewed at a later workshop, so it stays on record. "
            "Set its status to “Dropped” instead."
        )
    PlanEdit.objects.create(
        workshop_id=current.workshop_id,
        domain_id=current.domain_id,
        item=None,
        kind=PlanEdit.Kind.ITEM_DELETED,
        summary=f"{current.domain.code}: {current.description[:150]}",
        changes=_masked(changed_fields(_snapshot(current, ITEM_FIELDS), dict.fromkeys(ITEM_FIELDS))),
        edited_by=user,
    )
    current.delete()


@transaction.atomic
def item_review_save(workshop: Workshop, item: ActionItem, *, data: dict, version: int, user) -> ItemReview:
    """Record, at this (follow-up) workshop, how an earlier action is going."""
    _lock(workshop)
    review, _ = ItemReview.objects.select_related("reviewed_by").get_or_create(
        workshop=workshop, item=item, defaults={"status": item.status}
    )
    values = {name: data[name] for name in REVIEW_FIELDS}
    before = _snapshot(review, REVIEW_FIELDS) if review.version else {}
    changes = changed_fields(before, values)
    if review.version and not changes:
        return review
    if review.version != version:
        raise EditConflict(review)
    ItemReview.objects.filter(pk=review.pk, version=version).update(
        **values, version=F("version") + 1, reviewed_by=user, reviewed_at=timezone.now()
    )
    PlanEdit.objects.create(
        workshop=workshop,
        domain_id=item.domain_id,
        item=item,
        kind=PlanEdit.Kind.REVIEW,
        summary=item.description[:150],
        changes=changes,
        edited_by=user,
    )
    review.refresh_from_db()
    return review
