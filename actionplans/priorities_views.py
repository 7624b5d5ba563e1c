"""The live console's "Confirm priorities" form. A refusal stays on the console, beside the
boxes, with what was ticked still ticked: the form alone for htmx, the whole console otherwise.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ratings.console_page import console_response
from workshops.access import get_workshop_for_user
from workshops.models import Workshop

from .dots import priorities_confirm
from .notes_panels import CONSOLE_TEMPLATE, console_panel
from .notes_services import NotesError
from .services import EditConflict, PriorityLimitReached


def _refused(request, workshop: Workshop, message: str, status: int) -> HttpResponse:
    extra = {"priorities_error": message, "ticked": request.POST.getlist("domain")}
    if request.htmx:
        panel = {**console_panel(workshop), **extra}
        context = {"workshop": workshop, "panel": panel}
        return render(request, "actionplans/notes/_priorities.html", context, status=status)
    return console_response(
        request, workshop, panel_template=CONSOLE_TEMPLATE, panel_extra=extra, status=status
    )


@login_required
@require_POST
def live_priorities_confirm(request, pk: int):
    """Make the ticked domains the priorities (facilitators and admins; others 404)."""
    workshop = get_workshop_for_user(request, pk, facilitate=True)
    try:
        chosen = priorities_confirm(workshop, request.user, request.POST.getlist("domain"))
    except NotesError as exc:
        return _refused(request, workshop, exc.message, exc.status)
    except (EditConflict, PriorityLimitReached) as exc:
        return _refused(request, workshop, str(exc) or "The plan changed meanwhile: try again.", 409)
    messages.success(request, "Priorities confirmed: " + ", ".join(chosen) + ".")
    console = reverse("ratings_console", args=[workshop.pk]) + "#notes-console"
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = console
        return response
    return redirect(console)
