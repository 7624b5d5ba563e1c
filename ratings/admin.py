"""Ratings in the admin. Votes, tallies and the consensus history are the workshop's record:
viewable here, changed only through the live console. Erasing a participant means anonymising
them (blank name and organisation, and every copy such as a note's byline); their votes stay."""

from __future__ import annotations

from django.contrib import admin, messages

from workshops.append_only import AppendOnlyAdminMixin
from workshops.models import Workshop

from .invitation_models import Invitation
from .models import (
    BenchmarkRelease,
    Consensus,
    ConsensusChange,
    EvidenceNote,
    HandCount,
    Participant,
    Round,
    Vote,
)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("__str__", "display_name", "workshop", "sector", "organisation", "joined_at")
    list_filter = ("sector",)
    search_fields = ("display_name", "organisation", "workshop__title")
    # The token is the phone's identity (a join secret): never shown or edited here.
    exclude = ("token",)
    actions = ["anonymise"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # erasing a person = anonymising, never deleting votes
        return actions

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.workshop.status == Workshop.Status.CLOSED:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Anonymise selected participants (blank name and organisation)")
    def anonymise(self, request, queryset):
        changed = queryset.anonymise()
        messages.success(
            request,
            f"Anonymised {changed} participant(s), their notes' bylines included; "
            "their votes, sectors and dots stay.",
        )


@admin.action(description="Anonymise participants (blank names and organisations; votes stay)")
def anonymise_workshop_participants(modeladmin, request, queryset):
    from .privacy import anonymise_workshops

    changed = anonymise_workshops(queryset)
    messages.success(
        request,
        f"Anonymised {changed} participant(s), their notes' bylines included; "
        "votes, sectors and results are unchanged.",
    )


class _RecordInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class VoteInline(_RecordInline):
    model = Vote
    raw_id_fields = ("participant",)


class HandCountInline(_RecordInline):
    model = HandCount


class EvidenceNoteInline(admin.TabularInline):
    """Round 0's evidence notes; "hidden" keeps a card off the projector and the PDF."""

    model = EvidenceNote
    extra = 0
    raw_id_fields = ("participant", "hidden_by")


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ("__str__", "workshop", "status", "opened_at", "revealed_at")
    list_filter = ("status",)
    search_fields = ("workshop__title", "domain__code")
    inlines = [VoteInline, HandCountInline, EvidenceNoteInline]


@admin.register(Consensus)
class ConsensusAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    """Agreed levels change only in the console, which writes the consensus history."""

    list_display = ("workshop", "domain", "level", "suggested_level", "confirmed_by", "confirmed_at")
    list_filter = ("level", "workshop__programme")
    search_fields = ("workshop__title", "workshop__area__name", "domain__code")


@admin.register(ConsensusChange)
class ConsensusChangeAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("workshop", "domain", "old_level", "new_level", "changed_by", "changed_at")
    list_filter = ("workshop__programme",)
    search_fields = ("workshop__title", "reason")


@admin.register(BenchmarkRelease)
class BenchmarkReleaseAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    """Frozen comparison sets: viewable, never changed (ratings/benchmark_release.py)."""

    list_display = ("programme", "framework", "phase", "number", "released_at")
    list_filter = ("programme",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made on the workshop page (the list is checked there); here to look up."""

    list_display = ("email", "name", "sector", "workshop", "created_at", "opened_at")
    list_filter = ("sector", "workshop__area")
    search_fields = ("email", "name", "workshop__title")
    exclude = ("token_hash", "reminder_token_hash")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
