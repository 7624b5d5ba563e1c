"""The workshop page's "Rating before the day" panel (facilitators only)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ratings import hall
from ratings.prerating import WindowState, default_closing, workshop_window
from ratings.prerating_read import window_counts
from ratings.views import _qr_svg, join_url

register = template.Library()


def invitation_text(workshop, url: str, domains: int) -> str:
    """A short invitation to paste into an email."""
    closes = timezone.localtime(workshop.prerating_closes_at)
    return (
        f"Before our CASCADE workshop “{workshop.title}” on {workshop.date:%A %-d %B %Y}, please rate "
        f"where {workshop.area.name} stands on each of the {domains} domains. It takes about ten "
        f"minutes on your phone: open {url} (code {workshop.join_code_display}), then for each domain "
        "choose a level or “Not sure”, and if you can add a short note on what tells you this "
        "(a pathway, a meeting, a document). Nobody sees your answers before the day, and you can "
        f"change them until {closes:%A %-d %B, %H:%M}. On the day, use the same phone to join the room."
    )


@register.inclusion_tag("ratings/prerating/_panel.html", takes_context=True)
def prerating_panel(context) -> dict:
    workshop = context["workshop"]
    if not context.get("can_facilitate"):
        return {"show": False}
    request = context["request"]
    state = workshop_window(workshop)
    started = workshop.status != workshop.Status.DRAFT
    if state == WindowState.NOT_OPENED and started and not context.get("prerating_error"):
        return {"show": False}  # the workshop has started without it: nothing to offer
    closes = workshop.prerating_closes_at or default_closing(workshop.date)
    data = {
        "show": True,
        "workshop": workshop,
        "state": state,
        "can_open": workshop.status == workshop.Status.DRAFT,
        "is_open": state == WindowState.OPEN,
        "closes_value": timezone.localtime(closes).strftime("%Y-%m-%dT%H:%M"),
        "error": context.get("prerating_error"),
        "csrf_token": context.get("csrf_token"),
    }
    if state != WindowState.NOT_OPENED:
        url = join_url(request, workshop)
        counts = window_counts(workshop)
        data.update(
            url=url,
            qr_svg=_qr_svg(url),
            join_loopback=hall.is_loopback(url),
            join_display=hall.display(url),
            counts=counts,
            invitation=invitation_text(workshop, url, len(counts.per_domain)),
        )
    return data
