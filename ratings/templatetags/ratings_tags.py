"""Template helpers of the live workshop: signed changes and the workshop-page panel."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ratings.models import ConsensusChange
from ratings.results import workshop_results

register = template.Library()


@register.filter
def signed(value) -> str:
    """+2, −1 or 0 for a change in level (true minus sign for screen readers and print)."""
    if value is None or value == "":
        return ""
    value = int(value)
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"−{abs(value)}"
    return "0"


@register.filter
def level_name(level, labels: dict) -> str:
    """'2 Good' from a score and {score: label}; an em dash for no level."""
    if level is None or level == "":
        return "—"
    return f"{level} {labels.get(level, '')}".strip()


@register.inclusion_tag("ratings/_panel.html", takes_context=True)
def ratings_panel(context) -> dict:
    """Agreed ratings and their history for the workshop page (flags come from the view)."""
    workshop = context["workshop"]
    can_facilitate = bool(context.get("can_facilitate"))
    results = workshop_results(workshop)
    history = list(ConsensusChange.objects.filter(workshop=workshop).select_related("domain", "changed_by"))
    return {
        "workshop": workshop,
        "results": results,
        "labels": {lv.score: lv.label for lv in results.levels},
        "history": history,
        "can_facilitate": can_facilitate,
        "console_url": reverse("ratings_console", args=[workshop.pk]) if can_facilitate else None,
        "projector_url": reverse("ratings_projector", args=[workshop.pk]) if can_facilitate else None,
        "summary_url": reverse("ratings_summary", args=[workshop.pk]),
        "paper_url": reverse("ratings_paper", args=[workshop.pk, "ballot"]) if can_facilitate else None,
    }


@register.filter
def get_label(labels: dict, level) -> str:
    return labels.get(level, "") if level is not None else ""
