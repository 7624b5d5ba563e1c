"""Invitations: the facilitator adds invitees (pasted or CSV); an invitee's personal link
opens the pre-rating with their sector filled in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from workshops.models import Workshop

from .identity import set_participant_cookie
from .invitation_models import Invitation
from .invitations import invitation_find, invitations_create
from .invitees import MAX_TEXT, parse_invitees
from .models import Participant
from .prerating import WindowState, workshop_window
from .views import _get_participant_for_request, _get_workshop_for_user

MAX_FILE_BYTES = 200_000


def _get_invitation_for_request(request, token: str) -> Invitation:
    invitation = invitation_find(token)
    if invitation is None:
        raise Http404("This invitation link is not valid.")
    return invitation


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_open(request, token: str):
    """GET shows the invitation (mail scanners open links); POST starts rating on this device."""
    invitation = _get_invitation_for_request(request, token)
    workshop = invitation.workshop
    state = workshop_window(workshop)
    context = {"invitation": invitation, "workshop": workshop, "state": state}
    if request.method == "GET":
        if invitation.opened_at is None:
            Invitation.objects.filter(pk=invitation.pk).update(opened_at=timezone.now())
        return render(request, "ratings/invitation.html", context)
    if state != WindowState.OPEN:
        return render(request, "ratings/invitation.html", context, status=409)
    code = workshop.join_code
    with transaction.atomic():
        participant = invitation.participant or _get_participant_for_request(request, code)
        if participant is None or participant.workshop_id != workshop.pk:
            participant = Participant.objects.create(workshop=workshop, sector=invitation.sector)
        Invitation.objects.filter(pk=invitation.pk).update(
            participant=participant, opened_at=invitation.opened_at or timezone.now()
        )
    response = redirect("prerating_overview", code=code)
    response.status_code = 303
    set_participant_cookie(response, code, workshop.pk, participant.token, participant.pk)
    return response


def _detail_with_errors(request, workshop: Workshop, errors: list[str], text: str):
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "workshop": workshop,
            "can_facilitate": True,
            "facilitators": workshop.facilitators.order_by("first_name", "username"),
            "invitation_errors": errors,
            "invitees_text": text,
        },
        status=400,
    )


@login_required
@require_POST
def invitations_add(request, pk: int):
    """Check every line first; with any error nothing is written and each error names its line."""
    workshop = _get_workshop_for_user(request, pk, facilitate=True)
    text = request.POST.get("invitees", "")[: MAX_TEXT + 1]
    upload = request.FILES.get("invitees_file")
    if upload is not None:
        if upload.size > MAX_FILE_BYTES:
            return _detail_with_errors(
                request, workshop, [f"The file is over {MAX_FILE_BYTES // 1000} kB."], ""
            )
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            return _detail_with_errors(request, workshop, ["Save the file as CSV (UTF-8) and try again."], "")
    if workshop.status == Workshop.Status.CLOSED:
        return _detail_with_errors(request, workshop, ["This workshop has closed."], text)
    invitees, errors = parse_invitees(text)
    if errors:
        return _detail_with_errors(request, workshop, errors, text if upload is None else "")
    created, known = invitations_create(workshop, invitees, request.user)
    note = f" ({known} already invited)" if known else ""
    messages.success(request, f"{created} invitation(s) will be emailed with the next mail run{note}.")
    return redirect(reverse("workshop_detail", args=[workshop.pk]) + "#invitations")
