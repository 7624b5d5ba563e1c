"""Rating before the day: the participant's screens and the facilitator's window and cards.

Participants are the same signed-cookie identity as in the room (ratings/identity.py), so
the phone that pre-rates carries on live. Plain form posts; no JavaScript needed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from workshops.models import Workshop, normalise_join_code

from . import taps
from .models import EVIDENCE_MAX, Participant
from .prerating import (
    WindowState,
    clean_note,
    evidence_hide,
    note_error,
    prerating_close,
    prerating_open,
    prerating_record,
)
from .prerating_read import domain_options, participant_progress
from .services import LiveError
from .views import _get_participant_for_request, _get_workshop_for_user

NOTE_PROMPT = "What tells you this? A pathway, a meeting, a document…"


def _not_joined(code: str):
    return redirect(f"{reverse('ratings_join')}?code={code}")


def _participant_or_redirect(request, code: str) -> tuple[str, Participant | None]:
    code = normalise_join_code(code)
    return code, _get_participant_for_request(request, code)


@never_cache
def prerating_overview(request, code: str):
    """The participant's own progress: '3 of 7 rated', a link to each domain."""
    code, participant = _participant_or_redirect(request, code)
    if participant is None:
        return _not_joined(code)
    progress = participant_progress(participant)
    return render(
        request,
        "ratings/prerating/overview.html",
        {"progress": progress, "workshop": participant.workshop, "participant": participant},
    )


def _domain_context(participant: Participant, position: int, **extra) -> dict:
    progress = participant_progress(participant)
    if not 1 <= position <= progress.total:
        raise Http404("No such domain.")
    line = progress.lines[position - 1]
    return {
        "progress": progress,
        "line": line,
        "domain": line.domain,
        "options": domain_options(line.domain),
        "workshop": participant.workshop,
        "participant": participant,
        "chosen": "unsure" if line.rated and line.level is None else line.level,
        "note": line.note,
        "note_max": EVIDENCE_MAX,
        "note_prompt": NOTE_PROMPT,
        "previous_position": position - 1 if position > 1 else None,
        "next_position": position + 1 if position < progress.total else None,
        "error": None,
        **extra,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def prerating_domain(request, code: str, position: int):
    """One domain: guiding question, four descriptors, not sure, an optional evidence note."""
    code, participant = _participant_or_redirect(request, code)
    if participant is None:
        if request.method == "POST":
            return render(
                request,
                "ratings/prerating/refused.html",
                {"message": "Join the workshop on this phone before rating.", "code": code},
                status=403,
            )
        return _not_joined(code)
    if request.method == "GET":
        return render(request, "ratings/prerating/domain.html", _domain_context(participant, position))

    raw_level = request.POST.get("level", "")
    note = clean_note(request.POST.get("note", ""))
    error, status = None, 200
    level = taps.level(raw_level)
    if level == taps.NOT_A_LEVEL:
        error, status = "Choose a level, or “Not sure”.", 400
    if error is None:
        error = note_error(note)
        status = 400 if error else 200
    context = _domain_context(participant, position)  # 404 for a position out of range
    if error is None:
        try:
            prerating_record(participant, context["domain"].pk, level, note)
        except LiveError as exc:
            error, status = exc.message, exc.status
    if error is not None:
        context.update(error=error, chosen="unsure" if level is None else level, note=note)
        if status == 409:
            context["progress"].window = WindowState.CLOSED
        return render(request, "ratings/prerating/domain.html", context, status=status)
    progress = participant_progress(participant)
    following = next((ln for ln in progress.lines[position:] if not ln.rated), None) or progress.next_unrated
    target = (
        reverse("prerating_domain", args=[code, following.position])
        if following is not None
        else reverse("prerating_overview", args=[code])
    )
    response = redirect(target)
    response.status_code = 303
    return response


# ---------------------------------------------------------------- facilitators


def _parse_closing(raw: str) -> dt.datetime | None:
    """A datetime-local value ('2026-09-01T09:00') in the site's time zone, or None."""
    try:
        value = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _workshop_page(request, workshop: Workshop, error: str, status: int):
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "workshop": workshop,
            "can_facilitate": True,
            "facilitators": workshop.facilitators.order_by("first_name", "username"),
            "prerating_error": error,
        },
        status=status,
    )


@login_required
@require_POST
def prerating_window(request, pk: int):
    """Open (with a closing time) or close the window; refusals change nothing."""
    workshop = _get_workshop_for_user(request, pk, facilitate=True)
    action = request.POST.get("action", "")
    try:
        if action == "open":
            raw = request.POST.get("closes_at", "").strip()
            closes_at = _parse_closing(raw) if raw else None
            if raw and closes_at is None:
                raise LiveError("Give the closing time as a date and time, e.g. 2026-09-01 09:00.", 400)
            prerating_open(workshop, request.user, closes_at)
            local = timezone.localtime(workshop.prerating_closes_at)
            messages.success(request, f"Rating before the day is open until {local:%d %b %Y %H:%M}.")
        elif action == "close":
            prerating_close(workshop, request.user)
            messages.success(request, "Rating before the day is closed. The ratings wait for the room.")
        else:
            raise LiveError("Choose to open or close rating before the day.", 400)
    except LiveError as exc:
        workshop.refresh_from_db()
        return _workshop_page(request, workshop, exc.message, exc.status)
    return redirect(workshop)


@login_required
@require_POST
def evidence_card(request, pk: int, note_pk: int):
    """Hide an evidence card from the projector, or show it again (the note is kept)."""
    workshop = _get_workshop_for_user(request, pk, facilitate=True)
    hidden = request.POST.get("hidden") == "1"
    try:
        evidence_hide(workshop, request.user, note_pk, hidden)
    except LiveError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        raise  # pragma: no cover - evidence_hide refuses only with 404
    back = "ratings_projector" if request.POST.get("next") == "projector" else "ratings_console"
    if back == "ratings_console":
        messages.success(request, "Card hidden from the projector." if hidden else "Card shown again.")
    return redirect(back, pk=workshop.pk)
