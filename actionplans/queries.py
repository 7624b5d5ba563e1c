"""Read-side queries: which earlier items a follow-up reviews, and the leads' open items.

Each function runs a fixed number of queries whatever the number of items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from workshops.models import Workshop

from .models import ActionItem, ItemReview, OwnerUpdate
from .rules import OPEN_STATUSES


@dataclass
class ReviewRow:
    """An earlier action as the follow-up sees it: its status last time and the review now."""

    item: ActionItem
    status_before: str
    status_before_label: str
    note_before: str
    review: ItemReview | None

    @property
    def reviewed(self) -> bool:
        return self.review is not None


def reviewed_workshop(workshop: Workshop) -> Workshop | None:
    """The earlier workshop whose actions a follow-up reviews: the latest with agreed levels or
    actions, so a draft never run between them does not hide the actions (issue 23)."""
    agreed_or_acted = Q(consensuses__isnull=False) | Q(action_items__isnull=False)
    return workshop.earlier_workshops().filter(agreed_or_acted).distinct().first()


def items_for_review(workshop: Workshop, previous: Workshop | None) -> QuerySet[ActionItem]:
    """The previous workshop's items, plus items it reviewed and found still open."""
    if previous is None:
        return ActionItem.objects.none()
    still_open = ItemReview.objects.filter(workshop=previous, status__in=OPEN_STATUSES).values("item_id")
    return (
        ActionItem.objects.filter(Q(workshop=previous) | Q(pk__in=still_open))
        .exclude(workshop=workshop)
        .select_related("domain", "workshop")
        .prefetch_related("owner_updates")
        .order_by("domain__position", "workshop__date", "pk")
    )


def review_rows(workshop: Workshop, previous: Workshop | None) -> list[ReviewRow]:
    """Rows for the carry-forward review at `workshop` (three queries)."""
    items = list(items_for_review(workshop, previous))
    if not items:
        return []
    ids = [item.pk for item in items]
    reviews = ItemReview.objects.filter(item_id__in=ids, workshop__in=[workshop, previous]).select_related(
        "reviewed_by"
    )
    now: dict[int, ItemReview] = {}
    before: dict[int, ItemReview] = {}
    for review in reviews:
        (now if review.workshop_id == workshop.pk else before)[review.item_id] = review
    labels = dict(ActionItem._meta.get_field("status").choices)
    rows = []
    for item in items:
        earlier = before.get(item.pk)
        status = earlier.status if earlier else item.status
        rows.append(
            ReviewRow(
                item=item,
                status_before=status,
                status_before_label=labels[status],
                note_before=earlier.note if earlier else item.note,
                review=now.get(item.pk),
            )
        )
    return rows


def _latest_review():
    return ItemReview.objects.filter(item=OuterRef("pk")).order_by(
        "-workshop__phase", "-workshop__date", "-pk"
    )


def with_current_status(qs: QuerySet[ActionItem], today: dt.date) -> QuerySet[ActionItem]:
    """Each item's status and note now: the latest of a later workshop's review and the owner's
    own update by link (the owner's counts when it came after the review), else its own."""
    latest = _latest_review()
    owner = OwnerUpdate.objects.filter(item=OuterRef("pk")).order_by("-pk")
    owner_latest = Q(owner_at__isnull=False) & (Q(review_at__isnull=True) | Q(owner_at__gt=F("review_at")))
    own = Coalesce(Subquery(latest.values("status")[:1]), F("status"))
    own_note = Coalesce(Subquery(latest.values("note")[:1]), F("note"))
    return (
        qs.annotate(
            review_at=Subquery(latest.values("reviewed_at")[:1]),
            owner_at=Subquery(owner.values("created_at")[:1]),
            owner_status=Subquery(owner.values("status")[:1]),
            owner_note=Subquery(owner.values("note")[:1]),
        )
        .annotate(
            updated_by_owner=Case(
                When(owner_latest, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            current_status=Case(
                When(owner_latest, then=F("owner_status")), default=own, output_field=CharField()
            ),
            current_note=Case(
                When(
                    owner_latest,
                    then=Coalesce(NullIf(F("owner_note"), Value("")), own_note, output_field=TextField()),
                ),
                default=own_note,
                output_field=TextField(),
            ),
        )
        .annotate(
            is_overdue=Case(
                When(Q(due_date__lt=today) & Q(current_status__in=OPEN_STATUSES), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )


def lead_items(user, today: dt.date) -> QuerySet[ActionItem]:
    """Every action item of the areas `user` leads (admins: all), with its latest status.

    A later workshop's review or the owner's update by link (whichever is later) overrides the
    item's own status and note; open items past their due date come first, then by due date,
    undated last.
    """
    qs = ActionItem.objects.all()
    if not user.is_superuser:
        qs = qs.filter(workshop__area__leads=user)
    return with_current_status(qs.select_related("workshop", "workshop__area", "domain"), today).order_by(
        "-is_overdue", F("due_date").asc(nulls_last=True), "workshop__area__name", "pk"
    )
