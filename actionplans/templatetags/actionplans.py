"""The action-plan panel on the workshop page."""

from __future__ import annotations

from django import template
from django.db.models import Count, Q

from ..access import plan_access
from ..models import ActionItem, DomainPlan, ItemStatus
from ..rules import OPEN_STATUSES

register = template.Library()


@register.inclusion_tag("actionplans/_panel.html", takes_context=True)
def actionplan_panel(context, workshop):
    """Progress of the plan and the links this user may use (rights decided here, not in HTML)."""
    user = context["request"].user
    access = plan_access(user, workshop, is_facilitator=context.get("can_facilitate"))
    plans = DomainPlan.objects.filter(workshop=workshop).aggregate(
        written=Count("pk", filter=Q(working_well__gt="") | Q(challenges__gt="") | Q(next_steps__gt="")),
        priorities=Count("pk", filter=Q(is_priority=True)),
    )
    items = ActionItem.objects.filter(workshop=workshop).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUSES))
    )
    return {
        "workshop": workshop,
        "can_edit": access.can_edit,
        "reason": access.reason,
        "written": plans["written"],
        "priorities": plans["priorities"],
        "items_total": items["total"],
        "items_open": items["open"],
        "domain_count": workshop.framework.domains.count(),
    }


@register.filter
def person(user) -> str:
    """A user's full name, else username, else "someone" (the account may have been deleted)."""
    if user is None:
        return "someone"
    return user.get_full_name() or user.username


@register.filter
def status_label(value: str) -> str:
    """An action item's status as people read it ('in_progress' -> 'In progress')."""
    return dict(ItemStatus.choices).get(value, value)
