from __future__ import annotations

from django.contrib import admin

from .models import Consensus, ConsensusChange, EvidenceNote, HandCount, Participant, Round, Vote


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ("__str__", "workshop", "sector", "organisation", "joined_at")
    list_filter = ("sector",)
    search_fields = ("display_name", "organisation", "workshop__title")
    readonly_fields = ("token",)


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0
    raw_id_fields = ("participant",)


class HandCountInline(admin.TabularInline):
    model = HandCount
    extra = 0


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
class ConsensusAdmin(admin.ModelAdmin):
    list_display = ("workshop", "domain", "level", "suggested_level", "confirmed_by", "confirmed_at")
    list_filter = ("level", "workshop__programme")
    search_fields = ("workshop__title", "workshop__area__name", "domain__code")


@admin.register(ConsensusChange)
class ConsensusChangeAdmin(admin.ModelAdmin):
    list_display = ("workshop", "domain", "old_level", "new_level", "changed_by", "changed_at")
    list_filter = ("workshop__programme",)
    search_fields = ("workshop__title", "reason")
