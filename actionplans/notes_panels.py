"""What notes and dot-voting add to the live pages of the ratings app (console, projector,
phone), through ActionplansConfig.live_panels: the ratings app never imports this app.

Each panel is a dict with the template to include and what it shows.
"""

from __future__ import annotations

from django.urls import reverse

from ratings.models import Round
from workshops.models import Domain, Workshop

from .dots import dot_tally, my_dots
from .notes import DOTS_PER_PHONE, KINDS, MAX_NOTE, chosen_by_words
from .notes_queries import console_notes, notes_state, wall


def _domains(workshop: Workshop) -> list[Domain]:
    return list(Domain.objects.filter(framework_id=workshop.framework_id))


def _wall_domain(workshop: Workshop, state, domains: list[Domain]) -> Domain | None:
    """One domain open: that one; all open: the one on the screen, else the first."""
    if state.notes_domain_id:
        return next((d for d in domains if d.pk == state.notes_domain_id), None)
    current = next((d for d in domains if d.pk == workshop.current_domain_id), None)
    return current or (domains[0] if domains else None)


def _voting(workshop: Workshop) -> bool:
    """A rating vote is open: the projector shows the ballot's stage, not the wall."""
    return Round.objects.filter(workshop=workshop, status=Round.Status.OPEN).exists()


def live_panels(workshop: Workshop, role: str, participant=None) -> list[dict]:
    if role not in ("console", "projector", "phone") or workshop.status != Workshop.Status.LIVE:
        return []
    state = notes_state(workshop.pk)
    if role == "phone":
        return _phone(workshop, state, participant)
    if role == "projector":
        return _projector(workshop, state)
    if role == "console":
        return [_console(workshop, state)]
    return []  # e.g. the console's counts, swapped in by its poll


def _phone(workshop: Workshop, state, participant) -> list[dict]:
    if state is None:
        return []
    panels = []
    code = workshop.join_code
    if state.dots_open:
        # None in the ballot that every phone shares (ratings.phone_state): nothing personal.
        placed = None if participant is None else sum(my_dots(participant).values())
        panels.append(
            {
                "template": "actionplans/notes/_phone_panel.html",
                "kind": "dots",
                "title": "Choose the priorities",
                "task": "priorities",
                "url": reverse("notes_phone_dots", args=[code]),
                "placed": placed,
                "dots": DOTS_PER_PHONE,
            }
        )
    if state.notes_open:
        panels.append(
            {
                "template": "actionplans/notes/_phone_panel.html",
                "kind": "notes",
                "title": "Notes are open",
                "task": "notes",
                "url": reverse("notes_phone", args=[code]),
                "domain": state.notes_domain,
            }
        )
    return panels


def _projector(workshop: Workshop, state) -> list[dict]:
    if state is None:
        return []
    domains = _domains(workshop)
    if state.dots_open:
        return [{"template": "actionplans/notes/_projector_dots.html", "tally": dot_tally(workshop, domains)}]
    if state.notes_open and not _voting(workshop):
        domain = _wall_domain(workshop, state, domains)
        if domain is None:
            return []
        return [
            {
                "template": "actionplans/notes/_projector_wall.html",
                "domain": domain,
                "columns": wall(workshop, domain),
                "all_open": state.notes_domain_id is None,
                "max_note": MAX_NOTE,
            }
        ]
    return []


CONSOLE_TEMPLATE = "actionplans/notes/_console.html"


def console_panel(workshop: Workshop) -> dict:
    """The console's notes and priorities panel, for a view answering one of its forms."""
    return _console(workshop, notes_state(workshop.pk))


def _console(workshop: Workshop, state) -> dict:
    domains = _domains(workshop)
    panel = {
        "template": CONSOLE_TEMPLATE,
        "state": state,
        "domains": domains,
        "current": next((d for d in domains if d.pk == workshop.current_domain_id), None),
        "kinds": KINDS,
        "cards": [],
        "tally": None,
        "chosen_by": "",
    }
    if state is not None and state.notes_open:
        panel["wall_domain"] = _wall_domain(workshop, state, domains)
        if panel["wall_domain"] is not None:
            panel["cards"] = console_notes(workshop, panel["wall_domain"])
    if state is not None and (state.dots_open or state.priorities_confirmed_at):
        panel["tally"] = dot_tally(workshop, domains)
        panel["chosen_by"] = chosen_by_words(panel["tally"].people)
    return panel
