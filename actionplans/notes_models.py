"""Notes from phones and dot-votes: what the room writes and chooses during a live workshop.

Kept beside the action plan because both feed it: a note can be appended to a domain's box or
become an action item; the dots decide the priorities for change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ratings.models import Participant
from workshops.models import Domain, Workshop

from .notes import DOTS_PER_PHONE, KINDS, MAX_NOTE


class LiveNotes(models.Model):
    """Whether notes and dot-voting are open in a workshop (one row per workshop, made on demand)."""

    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE, related_name="live_notes")
    notes_open = models.BooleanField(default=False)
    notes_domain = models.ForeignKey(
        Domain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The domain open for notes; empty with notes open means all of them.",
    )
    dots_open = models.BooleanField(default=False)
    priorities_confirmed_at = models.DateTimeField(null=True, blank=True)
    priority_voters = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many people placed dots when the priorities were confirmed."
    )
    activity = models.PositiveIntegerField(
        default=0, help_text="Counts every change of notes and dots: part of the projector's poll stamp."
    )

    class Meta:
        verbose_name_plural = "live notes"

    def __str__(self) -> str:
        return f"Notes and dots of workshop {self.workshop_id}"

    def is_open_for(self, domain_pk: int) -> bool:
        return self.notes_open and (self.notes_domain_id is None or self.notes_domain_id == domain_pk)


class Note(models.Model):
    """One note a participant posted from a phone for one domain and column."""

    class Kind(models.TextChoices):
        WORKING_WELL = KINDS[0]
        CHALLENGES = KINDS[1]
        NEXT_STEPS = KINDS[2]

    class Use(models.TextChoices):
        BOX = "box", "Added to the plan's text"
        ITEM = "item", "Made an action item"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="notes")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.CharField(max_length=MAX_NOTE)
    show_name = models.BooleanField(default=False, help_text="The author chose to show their name.")
    author_name = models.CharField(max_length=80, blank=True)
    is_hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    used_as = models.CharField(max_length=4, choices=Use.choices, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    action_item = models.ForeignKey(
        "actionplans.ActionItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["workshop", "domain", "kind"], name="note_wall")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="note_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=[k for k, _ in KINDS]), name="note_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def byline(self) -> str:
        return self.author_name if self.show_name and self.author_name else "Anonymous"


class Dot(models.Model):
    """One of a phone's three dots on a domain: a row per dot, slot 1..3 unique per phone."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="dots")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="dots")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    slot = models.PositiveSmallIntegerField()
    placed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["participant", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "slot"], name="dot_one_per_slot"),
            models.CheckConstraint(
                condition=Q(slot__gte=1) & Q(slot__lte=DOTS_PER_PHONE), name="dot_at_most_three"
            ),
        ]

    def __str__(self) -> str:
        return f"Dot {self.slot} of participant {self.participant_id} on {self.domain_id}"
