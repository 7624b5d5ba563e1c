"""The plan page's "Owners' links" panel: for those who may send and revoke the links."""

from __future__ import annotations

from django import template

from actionplans.owner_views import owners_panel

register = template.Library()


@register.inclusion_tag("actionplans/_owners.html", takes_context=True)
def owner_links_panel(context) -> dict:
    workshop, access, user = context["workshop"], context["access"], context["request"].user
    allowed = access.can_edit or workshop.area.leads.filter(pk=user.pk).exists()
    return {
        "workshop": workshop,
        "owners": owners_panel(workshop, user) if allowed else None,
        "csrf_token": context.get("csrf_token"),
    }
