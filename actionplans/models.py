"""Action plans: per-domain notes, action items, the follow-up review of earlier items, and
an audit trail of every edit.

Rows that several people edit carry a `version` number: a save names the version it started
from and only succeeds if nobody saved in between (see services.py), so edits never silently
overwrite each other.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from workshops.append_only import AppendOnlyModel
from workshops.models import Domain, Workshop

from .rules import OPEN_STATUSES


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class DomainPlan(models.Model):
    """What the room wrote for one domain: working well, challenges, next steps."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="domain_plans")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    working_well = models.TextField("Working well", blank=True)
    challenges = models.TextField("Challenges", blank=True)
    next_steps = models.TextField("Next steps", blank=True)
    is_priority = models.BooleanField(
        "Priority for change", default=False, help_text="Up to three domains per workshop."
    )
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["workshop", "domain__position"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "domain"], name="domainplan_one_per_domain")
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id} {self.domain.code} plan"

    @property
    def is_empty(self) -> bool:
        return not (self.working_well or self.challenges or self.next_steps)


class ActionItem(models.Model):
    """One next step: what, who (name and organisation), by when, and how it is going."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="action_items")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    owner_name = models.CharField("Owner", max_length=120, blank=True)
    owner_organisation = models.CharField("Owner's organisation", max_length=160, blank=True)
    owner_email = models.EmailField(
        "Owner's email",
        max_length=254,
        blank=True,
        help_text="Optional: the owner gets a link to update this action's status themselves.",
    )
    due_date = models.DateField("Due", null=True, blank=True)
    status = models.CharField(max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["workshop", "domain__position", "pk"]
        indexes = [models.Index(fields=["due_date"], name="actionitem_due")]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ItemReview(models.Model):
    """A follow-up workshop's review of an earlier workshop's action item; kept with the follow-up."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="item_reviews")
    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(max_length=12, choices=ItemStatus.choices)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["workshop", "item__domain__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "item"], name="itemreview_one_per_workshop"),
            models.CheckConstraint(condition=~Q(status=""), name="itemreview_has_status"),
        ]

    def __str__(self) -> str:
        return f"Review of item {self.item_id} at workshop {self.workshop_id}"


class PlanEdit(AppendOnlyModel):
    """Audit trail: who changed what in a workshop's action plan, and when, including every
    review of an earlier action (kind REVIEW). Append-only: never updated or deleted."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Domain notes"
        ITEM_ADDED = "item_added", "Action added"
        ITEM_CHANGED = "item_changed", "Action changed"
        ITEM_DELETED = "item_deleted", "Action deleted"
        REVIEW = "review", "Earlier action reviewed"
        OWNER_UPDATE = "owner_update", "Updated by the owner by link"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="plan_edits")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The item's id stays when the item is deleted (an update would rewrite history), so no
    # database constraint; the edit's summary and changes say what the item was.
    item = models.ForeignKey(
        ActionItem,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="edits",
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    summary = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.edited_by_id} at {self.edited_at:%Y-%m-%d %H:%M}"

    @property
    def detail(self) -> str:
        """What the History panel shows: field labels people read, never field names.

        Rows saved before the summary used labels are worded from `changes` here too.
        """
        if self.kind != self.Kind.PLAN or not isinstance(self.changes, dict) or self.domain_id is None:
            return self.summary
        code = self.summary.split(":", 1)[0] if ":" in self.summary else ""
        return f"{code}: {plan_change_labels(self.changes)}" if code else plan_change_labels(self.changes)


def plan_change_labels(changes: dict) -> str:
    """'challenges, priority for change' from {field name: [before, after]}, in form order."""
    names = [f.name for f in DomainPlan._meta.get_fields() if f.name in changes]
    return ", ".join(str(DomainPlan._meta.get_field(n).verbose_name).lower() for n in names)


from .notes_models import Dot, LiveNotes, Note  # noqa: E402  (models of notes from phones)
from .owner_models import OwnerLink, OwnerUpdate  # noqa: E402  (owners' links and updates)

__all__ = [
    "ActionItem",
    "Dot",
    "DomainPlan",
    "ItemReview",
    "ItemStatus",
    "LiveNotes",
    "Note",
    "OwnerLink",
    "OwnerUpdate",
    "PlanEdit",
]
