"""Participants, voting rounds, votes and the agreed (consensus) ratings."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from workshops.append_only import AppendOnlyModel
from workshops.models import Domain, Framework, Programme, Workshop


def generate_token() -> str:
    return secrets.token_urlsafe(24)


class Sector(models.TextChoices):
    SCHOOL = "school", "School or college"
    NHS_CYPMHS = "nhs", "NHS children's mental health service"
    OTHER_PROVIDER = "provider", "Other mental-health provider"
    LOCAL_AUTHORITY = "la", "Local authority"
    COMMISSIONER = "ccg", "Commissioner (CCG)"
    OTHER = "other", "Other"


class ParticipantOfClosedWorkshop(models.ProtectedError):
    """Deleting a participant would delete their votes and change a closed workshop's tally."""


def _refuse_closed(participants) -> None:
    closed = [p for p in participants if p.workshop.status == Workshop.Status.CLOSED]
    if closed:
        raise ParticipantOfClosedWorkshop(
            "Participants of a closed workshop cannot be deleted: their votes are part of its "
            "record. Anonymise them instead (blank name and organisation).",
            set(closed),
        )


class ParticipantQuerySet(models.QuerySet):
    def delete(self):
        from .participant_data import erase_then_delete

        _refuse_closed(self.select_related("workshop"))
        # Rows that outlive the participant (notes) keep no copy of the name.
        return erase_then_delete(self, super().delete)

    def anonymise(self) -> int:
        """Blank name and organisation (the personal data) here and on every copy of them
        (ratings.participant_data); votes, sector, dots and the notes' words stay. Returns how
        many participants had something to blank."""
        from .participant_data import erase

        return erase(self)


class Participant(models.Model):
    """Someone who joined a workshop from a phone; no account, one per device."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    token = models.CharField(max_length=64, unique=True, default=generate_token, editable=False)
    display_name = models.CharField(max_length=80, blank=True)
    organisation = models.CharField(max_length=120, blank=True)
    sector = models.CharField(max_length=10, choices=Sector.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at", "pk"]

    def __str__(self) -> str:
        # Never the name: the admin copies this into its log, which erasure cannot blank as a field.
        return f"Participant {self.pk}"

    def delete(self, *args, **kwargs):
        from .participant_data import erase_then_delete

        _refuse_closed([self])
        return erase_then_delete(Participant.objects.filter(pk=self.pk), super().delete, *args, **kwargs)


class Round(models.Model):
    """One vote on one domain. Later rounds on the same domain supersede earlier ones."""

    class Status(models.TextChoices):
        OPEN = "open", "Voting open"
        CLOSED = "closed", "Voting closed"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="rounds")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["workshop", "domain__position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "domain", "number"], name="round_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.domain.code} round {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None


class Vote(models.Model):
    """A participant's ballot in a round; level None means "not sure" (not counted)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    # The phone's sequence number of the tap applied last: a late retry of an older tap
    # never overwrites a newer choice, and a repeated tap changes nothing.
    tap_seq = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "participant"], name="vote_one_per_participant")
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.level}"


class HandCount(models.Model):
    """Show-of-hands tally the facilitator entered for one level in a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="hand_counts")
    level = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "level"]
        constraints = [models.UniqueConstraint(fields=["round", "level"], name="handcount_unique_level")]

    def __str__(self) -> str:
        return f"{self.count} hands at level {self.level}"


class Consensus(models.Model):
    """The level the room agreed for one domain of one workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="consensuses")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    suggested_level = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the room chose a level other than the suggestion.")
    round = models.ForeignKey(Round, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "consensus ratings"
        ordering = ["workshop", "domain__position"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "domain"], name="consensus_one_per_domain")
        ]

    def __str__(self) -> str:
        return f"{self.workshop_id} {self.domain.code}: {self.level}"


class ConsensusChange(AppendOnlyModel):
    """Audit trail: every confirmation or change of an agreed level (append-only)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="consensus_changes")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    old_level = models.PositiveSmallIntegerField(null=True, blank=True)
    new_level = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True)
    # PROTECT: a user who confirmed a level stays on record (deactivate them instead).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.domain.code}: {self.old_level} → {self.new_level}"


EVIDENCE_MAX = 500


class EvidenceNote(models.Model):
    """What a participant said tells them their pre-rating is right (round 0 only).

    Shown on the projector as an anonymous card once round 0 is revealed; the facilitator
    can hide a card from the projector, and a hidden card is kept and marked.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="evidence_notes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="evidence_notes")
    text = models.CharField(max_length=EVIDENCE_MAX)
    hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "participant"], name="evidence_one_per_participant")
        ]

    def __str__(self) -> str:
        return self.text[:40]


class BenchmarkRelease(AppendOnlyModel):
    """A frozen comparison set: the agreed levels of a programme's areas complete in one phase
    (with one framework) when it was released (ratings/benchmark_release.py says when).

    CCG leads and facilitators see only the latest release's figures, so one more area completing
    changes nothing they see; each release adds at least BENCHMARK_MIN_AREAS areas. Append-only:
    a release is never changed, and a member keeps the levels it was released with.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+")
    phase = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(help_text="1 for the first release of the phase, then 2, 3...")
    released_at = models.DateTimeField(default=timezone.now)
    # {"<area id>": {"<domain code>": level}}: ids and levels only, no names.
    levels = models.JSONField()

    class Meta:
        ordering = ["programme", "framework", "phase", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "framework", "phase", "number"], name="benchmark_release_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} phase {self.phase} release {self.number}: {len(self.levels)} areas"


from .invitation_models import Invitation  # noqa: E402,F401  (invitations by email)
