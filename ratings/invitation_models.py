"""Invitations to rate before the day: one personal link per invitee (only its hash stored)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from workshops.models import Workshop

from .models import Participant, Sector

INVITEE_NAME_MAX = 120


class Invitation(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(max_length=INVITEE_NAME_MAX, blank=True)
    email = models.EmailField(max_length=254)
    sector = models.CharField(max_length=10, choices=Sector.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # The reminder carries a second link, so the first email's link keeps working too.
    reminder_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    # The phone identity the link started; its round-0 votes say whether the invitee rated.
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )

    class Meta:
        ordering = ["workshop", "pk"]
        constraints = [models.UniqueConstraint(fields=["workshop", "email"], name="invitation_once")]

    def __str__(self) -> str:
        return f"Invitation to workshop {self.workshop_id}"
