"""The phones' "anything new?" poll, answered at the top of the middleware stack.

A thousand phones ask every second or two; nearly every answer is 204 No Content, and when the
facilitator acts they all ask for the new ballot within a poll interval. Sessions,
authentication, messages and the CSP header do nothing for either answer, and the ORM's query
building cost more than the query itself, so this middleware answers both from the signed
cookie, the cached state version and the shared ballot (ratings.phone_state) before any of them
run; the new ballot's CSRF token comes from Django's own CSRF middleware code. Anything else (no
cookie, a bad code, an unknown phone, an unreachable cache) goes on to the view, which answers
as before.
"""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware

from workshops.models import normalise_join_code
from workshops.unreachable import UNREACHABLE

from .identity import read_participant
from .models import Participant
from .phone_state import PHONE_POLL_SECONDS, PhoneIdentity, ballot_fragment, phone_state

PHONE_POLL = re.compile(r"^/p/([^/]{1,32})/poll/$")
NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"


def unchanged_phone_poll(get_response):
    csrf = CsrfViewMiddleware(get_response)

    def middleware(request):
        if request.method == "GET" and request.path_info.endswith("/poll/"):
            match = PHONE_POLL.match(request.path_info)
            if match is not None:
                try:
                    response = _answer(request, match.group(1), csrf)
                except (*UNREACHABLE, Participant.DoesNotExist):
                    response = None  # the view meets the same and says so (503, 403)
                if response is not None:
                    return response
        return get_response(request)

    return middleware


def _answer(request, raw_code: str, csrf: CsrfViewMiddleware) -> HttpResponse | None:
    """204 when the state is the one the phone saw, else the new ballot; None: ask the view."""
    seen = request.GET.get("s", "")
    if not seen.isdigit():
        return None
    request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware would check it (400 otherwise)
    code = normalise_join_code(raw_code)
    ident = read_participant(request, code)
    if ident is None:
        return None
    workshop_pk, token, participant_pk = ident
    # The phone is in the room ("N of M voted"): marked in the same round trip as the read.
    state = phone_state(workshop_pk, seen=participant_pk)
    if state is None:
        return None
    if str(state[0]) == seen:
        response = HttpResponse(status=204)
    else:
        csrf.process_request(request)  # the new ballot's forms carry this phone's CSRF token
        identity = PhoneIdentity(workshop_pk, token, code)
        response = csrf.process_response(
            request, HttpResponse(ballot_fragment(request, identity, PHONE_POLL_SECONDS, state=state))
        )
    response["Cache-Control"] = NO_STORE
    return response
