"""The workshop page's "Invitations" panel (facilitators of a workshop not yet closed)."""

from __future__ import annotations

from django import template

from ratings.hall import is_loopback
from ratings.invitation_models import Invitation
from ratings.invitations import invitation_counts
from ratings.models import Sector
from workshops.mail import public_base

register = template.Library()


@register.inclusion_tag("ratings/prerating/_invitations.html", takes_context=True)
def invitations_panel(context) -> dict:
    workshop = context["workshop"]
    if not context.get("can_facilitate") or workshop.status == workshop.Status.CLOSED:
        return {"show": False}
    return {
        "show": True,
        "workshop": workshop,
        "counts": invitation_counts(workshop),
        "total": Invitation.objects.filter(workshop=workshop).count(),
        "errors": context.get("invitation_errors") or [],
        "text": context.get("invitees_text", ""),
        "sectors": Sector.choices,
        "loopback": is_loopback(public_base()),
        "base": public_base(),
        "csrf_token": context.get("csrf_token"),
    }
