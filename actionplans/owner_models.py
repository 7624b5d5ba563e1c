"""Owners who update their own actions by a personal link (no account).

An `OwnerLink` is one link sent to one owner address for one workshop: only the token's hash
is stored. Every email mints a new link, and all of a workshop's links for an address stop
working together when a facilitator or lead revokes them or the follow-up workshop closes.
Each update the owner makes is an `OwnerUpdate`, append-only like the reviews.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from workshops.append_only import AppendOnlyModel
from workshops.models import Workshop

OWNER_NOTE_MAX = 1000  # a short progress note, not a report


class OwnerLink(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="owner_links")
    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["workshop", "email"], name="ownerlink_owner")]

    def __str__(self) -> str:
        return f"Owner link for workshop {self.workshop_id}"


class OwnerUpdate(AppendOnlyModel):
    """An owner's status and progress note for one action, made through their link."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="owner_updates")
    item = models.ForeignKey("actionplans.ActionItem", on_delete=models.CASCADE, related_name="owner_updates")
    status = models.CharField(max_length=12)
    note = models.CharField(max_length=OWNER_NOTE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Owner update of item {self.item_id}"

    def get_status_display(self) -> str:
        from .models import ItemStatus

        return dict(ItemStatus.choices).get(self.status, self.status)
