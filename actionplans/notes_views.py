"""Notes and dot-voting pages: a phone's notes and dots (participants, by their signed
cookie), the facilitator's buttons on the live console, and the plan page's "use this note".

Refusals answer 400/403/404/409 with the reason on the page and change nothing; every form
works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ratings.identity import read_participant_cookie
from ratings.models import Participant
from ratings.taps import small_int
from workshops.access import get_workshop_for_user
from workshops.models import Domain, Workshop, normalise_join_code

from .access import plan_access
from .dots import dot_place, dot_remove, dots_close, dots_open, my_dots
from .notes import DOTS_PER_PHONE, KINDS, MAX_NOTE
from .notes_queries import notes_state, own_notes
from .notes_services import (
    NotesError,
    note_append_to_plan,
    note_delete,
    note_edit,
    note_hide,
    note_post,
    note_to_action_item,
    notes_close,
    notes_open,
)
from .views import _domain_response, _edit_url, _forbidden


def _get_participant_for_user(request, code: str) -> Participant | None:
    """The participant this phone joined as, for the workshop with this code only."""
    ident = read_participant_cookie(request, code)
    if ident is None:
        return None
    workshop_pk, token = ident
    return (
        Participant.objects.select_related("workshop")
        .filter(token=token, workshop_id=workshop_pk, workshop__join_code=code)
        .first()
    )


def _join_first() -> HttpResponse:
    return HttpResponse("Join the workshop on this phone first.", status=403, content_type="text/plain")


def _not_joined(code: str) -> HttpResponse:
    return redirect(f"{reverse('ratings_join')}?code={code}")


# --- a phone's notes -------------------------------------------------------------------------


def _open_domains(participant: Participant, state) -> list[Domain]:
    domains = Domain.objects.filter(framework_id=participant.workshop.framework_id)
    if state is None or not state.notes_open or participant.workshop.status != Workshop.Status.LIVE:
        return []
    if state.notes_domain_id:
        return [d for d in domains if d.pk == state.notes_domain_id]
    return list(domains)


def _notes_page(request, participant: Participant, *, code: str, domain_code: str = "", **extra):
    state = notes_state(participant.workshop_id)
    domains = _open_domains(participant, state)
    domain = next((d for d in domains if d.code == domain_code), None)
    if domain is None and domains:
        current = participant.workshop.current_domain_id
        domain = next((d for d in domains if d.pk == current), domains[0])
    context = {
        "workshop": participant.workshop,
        "participant": participant,
        "domains": domains,
        "domain": domain,
        "notes": own_notes(participant, domain) if domain else [],
        "kinds": KINDS,
        "max_note": MAX_NOTE,
        "error": None,
        "draft": {},
        **extra,
    }
    return render(request, "actionplans/notes/phone_notes.html", context, status=extra.get("status", 200))


def _see_other(url: str) -> HttpResponse:
    response = redirect(url)
    response.status_code = 303  # after a POST, the phone GETs the page (no resubmission)
    return response


def _notes_url(code: str, domain: Domain | None) -> str:
    url = reverse("notes_phone", args=[code])
    return f"{url}?domain={domain.code}" if domain else url


@never_cache
@require_http_methods(["GET", "POST"])
def phone_notes(request, code: str):
    """GET: the open domain's three boxes and this phone's notes. POST: a new note."""
    code = normalise_join_code(code)
    participant = _get_participant_for_user(request, code)
    if participant is None:
        if request.method == "POST":
            return _join_first()
        return _not_joined(code)
    domain_code = request.GET.get("domain", "") if request.method == "GET" else request.POST.get("domain", "")
    if request.method == "GET":
        return _notes_page(request, participant, code=code, domain_code=domain_code)
    domain = Domain.objects.filter(framework_id=participant.workshop.framework_id, code=domain_code).first()
    draft = {
        "text": request.POST.get("text", ""),
        "kind": request.POST.get("kind", ""),
        "show_name": bool(request.POST.get("show_name")),
    }
    if domain is None:
        return _notes_page(
            request, participant, code=code, error="Choose a domain first.", status=400, draft=draft
        )
    try:
        note_post(participant, domain, kind=draft["kind"], text=draft["text"], show_name=draft["show_name"])
    except NotesError as exc:
        return _notes_page(
            request,
            participant,
            code=code,
            domain_code=domain.code,
            error=exc.message,
            status=exc.status,
            draft=draft,
        )
    messages.success(request, "Note posted.")
    return _see_other(_notes_url(code, domain))


@never_cache
@require_POST
def phone_note_edit(request, code: str, note_pk: int):
    code = normalise_join_code(code)
    participant = _get_participant_for_user(request, code)
    if participant is None:
        return _join_first()
    delete = request.POST.get("delete") == "1"
    try:
        if delete:
            domain = note_delete(participant, note_pk)
        else:
            text, show_name = request.POST.get("text", ""), bool(request.POST.get("show_name"))
            domain = note_edit(participant, note_pk, text=text, show_name=show_name).domain
    except NotesError as exc:
        return _notes_page(
            request,
            participant,
            code=code,
            domain_code=request.POST.get("domain", ""),
            error=exc.message,
            status=exc.status,
        )
    messages.success(request, "Note deleted." if delete else "Note saved.")
    return _see_other(_notes_url(code, domain))


# --- a phone's dots -------------------------------------------------------------------------------


def _dots_page(request, participant: Participant, *, error: str | None = None, status: int = 200):
    state = notes_state(participant.workshop_id)
    is_open = bool(state and state.dots_open and participant.workshop.status == Workshop.Status.LIVE)
    mine = my_dots(participant)
    domains = list(Domain.objects.filter(framework_id=participant.workshop.framework_id))
    placed = sum(mine.values())
    context = {
        "workshop": participant.workshop,
        "participant": participant,
        "is_open": is_open,
        "rows": [(d, mine.get(d.pk, 0), range(mine.get(d.pk, 0))) for d in domains],
        "placed": placed,
        "left": DOTS_PER_PHONE - placed,
        "dots": DOTS_PER_PHONE,
        "error": error,
    }
    return render(request, "actionplans/notes/phone_dots.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def phone_dots(request, code: str):
    """GET: the domains with this phone's dots. POST: place (add) or take off (remove) one."""
    code = normalise_join_code(code)
    participant = _get_participant_for_user(request, code)
    if participant is None:
        if request.method == "POST":
            return _join_first()
        return _not_joined(code)
    if request.method == "GET":
        return _dots_page(request, participant)
    domain_pk = small_int(request.POST.get("domain", ""))
    try:
        if request.POST.get("remove"):
            dot_remove(participant, domain_pk)
        else:
            dot_place(participant, domain_pk)
    except NotesError as exc:
        return _dots_page(request, participant, error=exc.message, status=exc.status)
    return _see_other(reverse("notes_phone_dots", args=[code]))


# --- the facilitator on the live console -------------------------------------------------------


def _refused(request, workshop: Workshop, message: str, status: int, back: str = "") -> HttpResponse:
    back = back or reverse("ratings_console", args=[workshop.pk]) + "#notes-console"
    context = {"workshop": workshop, "message": message, "back": back}
    return render(request, "actionplans/notes/refused.html", context, status=status)


def _act_open(request, workshop):
    raw = request.POST.get("domain", "")
    if raw == "all":
        notes_open(workshop, request.user, None)
        return "Notes are open for every domain."
    domain_pk = small_int(raw)
    if domain_pk is None:
        raise NotesError("Choose a domain, or all of them.", 400)
    state = notes_open(workshop, request.user, domain_pk)
    return f"Notes are open for {state.notes_domain.code}."


def _act_close(request, workshop):
    notes_close(workshop, request.user)
    return "Notes are closed."


def _act_hide(request, workshop):
    note_pk = small_int(request.POST.get("note", ""))
    if note_pk is None:
        raise NotesError("Which note? The form was incomplete.", 400)
    note_hide(workshop, request.user, note_pk)
    return "Note hidden: it stays on record but no longer shows on the projector or in the PDF."


def _act_dots_open(request, workshop):
    dots_open(workshop, request.user)
    return "Choosing priorities is open: each phone has three dots."


def _act_dots_close(request, workshop):
    dots_close(workshop, request.user)
    return "Dot-voting is closed."


LIVE_ACTIONS = {
    "open": _act_open,
    "close": _act_close,
    "hide": _act_hide,
    "dots-open": _act_dots_open,
    "dots-close": _act_dots_close,
}


@login_required
@require_POST
def live_notes_action(request, pk: int, action: str):
    """The console's notes and dot-voting buttons (facilitators and admins; others 404)."""
    workshop = get_workshop_for_user(request, pk, facilitate=True)
    handler = LIVE_ACTIONS.get(action)
    if handler is None:
        raise Http404("No such action.")
    try:
        text = handler(request, workshop)
    except NotesError as exc:
        return _refused(request, workshop, exc.message, exc.status)
    messages.success(request, text)
    return redirect(reverse("ratings_console", args=[workshop.pk]) + "#notes-console")


# --- the plan page: use a note ------------------------------------------------------------------


@login_required
@require_POST
def plan_note_use(request, pk: int, note_pk: int, use: str):
    """Append a note to its box (use="box") or make a next-steps note an action item ("item")."""
    workshop = get_workshop_for_user(request, pk)
    note = workshop.notes.select_related("domain").filter(pk=note_pk).first()
    if note is None or use not in {"box", "item"}:
        raise Http404("No such note.")
    access = plan_access(request.user, workshop)
    if not access.can_edit:
        return _forbidden(request, workshop, access)
    try:
        if use == "box":
            note_append_to_plan(workshop, note_pk, request.user)
            text = f"Note added to {note.domain.code}: {note.get_kind_display().lower()}."
        else:
            note_to_action_item(workshop, note_pk, request.user)
            text = f"Action added to {note.domain.code}: fill in its owner and due date."
    except NotesError as exc:
        if request.htmx:
            return _domain_response(
                request, workshop, access, note.domain, partial_only=True, notice=exc.message
            )
        back = _edit_url(workshop, f"domain-{note.domain.code}")
        return _refused(request, workshop, exc.message, exc.status, back)
    if request.htmx:
        return _domain_response(request, workshop, access, note.domain, partial_only=True, notice=text)
    messages.success(request, text)
    return redirect(_edit_url(workshop, f"domain-{note.domain.code}"))
