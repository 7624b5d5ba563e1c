"""Who may edit a workshop's action plan (seeing it follows workshops.access)."""

from __future__ import annotations

from dataclasses import dataclass

from workshops.models import Workshop

from .rules import REVIEW_NOT_ASSIGNED, can_edit_plan, can_review_items, read_only_reason


@dataclass(frozen=True)
class PlanAccess:
    can_edit: bool
    reason: str = ""  # why not, shown on read-only pages and in 403 answers


def plan_access(user, workshop: Workshop, *, is_facilitator: bool | None = None) -> PlanAccess:
    """Edit rights of a user who may already see `workshop` (pass is_facilitator if known)."""
    if not user.is_authenticated:
        return PlanAccess(False, "Log in to edit the action plan.")
    if is_facilitator is None:
        is_facilitator = workshop.is_facilitated_by(user)
    if user.is_superuser or is_facilitator:
        return PlanAccess(True)
    is_area_lead = workshop.area.leads.filter(pk=user.pk).exists()
    if can_edit_plan(
        is_superuser=False, is_facilitator=False, is_area_lead=is_area_lead, status=workshop.status
    ):
        return PlanAccess(True)
    return PlanAccess(False, read_only_reason(is_area_lead=is_area_lead, status=workshop.status))


def review_access(user, workshop: Workshop, access: PlanAccess) -> PlanAccess:
    """Rights on the follow-up review, given the user's rights on the follow-up's plan."""
    if not access.can_edit:
        return access
    if user.is_superuser:
        return access
    if can_review_items(
        is_superuser=False, can_edit_follow_up=True, is_assigned_to_area=workshop.area.is_assigned(user)
    ):
        return access
    return PlanAccess(False, REVIEW_NOT_ASSIGNED)
