"""Action plans in the admin: for looking things up. Edits go through the action-plan pages,
which check versions and write the audit trail, so the admin is read-only here."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from workshops.append_only import AppendOnlyAdminMixin

from .models import ActionItem, DomainPlan, Dot, ItemReview, Note, OwnerLink, OwnerUpdate, PlanEdit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Edit on the plan page")
    def plan_link(self, obj):
        return format_html('<a href="{}">Action plan</a>', reverse("actionplan_edit", args=[obj.workshop_id]))


@admin.register(DomainPlan)
class DomainPlanAdmin(ReadOnlyAdmin):
    list_display = ("workshop", "domain", "is_priority", "version", "updated_by", "updated_at", "plan_link")
    list_filter = ("is_priority", "workshop__area")
    search_fields = ("workshop__title", "working_well", "challenges", "next_steps")


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "workshop", "domain", "owner_name", "due_date", "status", "plan_link")
    list_filter = ("status", "workshop__area")
    search_fields = ("description", "owner_name", "owner_organisation", "workshop__title")
    date_hierarchy = "due_date"


@admin.register(ItemReview)
class ItemReviewAdmin(ReadOnlyAdmin):
    list_display = ("item", "workshop", "status", "reviewed_by", "reviewed_at", "plan_link")
    list_filter = ("status",)


@admin.register(PlanEdit)
class PlanEditAdmin(AppendOnlyAdminMixin, ReadOnlyAdmin):
    list_display = ("edited_at", "edited_by", "workshop", "kind", "summary")
    list_filter = ("kind",)
    search_fields = ("summary", "workshop__title")


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    """Notes from phones, hidden ones included (they stay on record)."""

    list_display = ("text", "workshop", "domain", "kind", "is_hidden", "used_as", "created_at", "plan_link")
    list_filter = ("kind", "is_hidden", "used_as")
    search_fields = ("text",)
    list_select_related = ("workshop", "workshop__area", "domain")


@admin.register(Dot)
class DotAdmin(ReadOnlyAdmin):
    list_display = ("workshop", "participant", "domain", "slot", "placed_at")
    list_select_related = ("workshop", "workshop__area", "participant", "domain")


@admin.register(OwnerLink)
class OwnerLinkAdmin(ReadOnlyAdmin):
    """Links are sent and revoked from the plan page; only the token's hash is stored."""

    list_display = ("workshop", "email", "created_at", "opened_at", "revoked_at", "plan_link")
    list_filter = ("workshop__area",)
    search_fields = ("email", "workshop__title")
    exclude = ("token_hash",)


@admin.register(OwnerUpdate)
class OwnerUpdateAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("item", "workshop", "status", "created_at")
    list_filter = ("status", "workshop__area")
