"""The participant's own privacy control: "Remove my name" on the phone (plain form post)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from workshops.models import normalise_join_code

from .privacy import remove_name
from .views import _get_participant_for_request, _not_joined


@never_cache
@require_POST
def remove_my_name(request, code: str):
    """Blank this phone's participant's name and organisation, on their notes too; votes,
    sector, dots and the notes' words stay."""
    code = normalise_join_code(code)
    participant = _get_participant_for_request(request, code)
    if participant is None:
        return _not_joined(request, code)
    remove_name(participant)
    messages.success(
        request,
        "Your name and organisation have been removed, from your notes too. "
        "Your votes, sector and notes stay, without your name.",
    )
    response = redirect("ratings_ballot", code=code)
    response.status_code = 303
    return response
