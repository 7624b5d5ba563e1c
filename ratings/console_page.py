"""The live console page for a higher app that refuses one of its console forms: the page is
rendered again, with the refusal beside that app's control, instead of a page of its own.

Ratings never imports the apps above it: the caller names its panel by template and says what
to add to it (the message and what was entered).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.http import HttpResponse
from django.shortcuts import render

from workshops.models import Workshop

from .views import _live_context


def console_response(
    request, workshop: Workshop, *, panel_template: str, panel_extra: Mapping, status: int = 400
) -> HttpResponse:
    """The console as the facilitator left it, the panel of `panel_template` given `panel_extra`."""
    context = _live_context(request, workshop)
    for panel in context["live_panels"]:
        if panel.get("template") == panel_template:
            panel.update(panel_extra)
    return render(request, "ratings/console.html", context, status=status)
