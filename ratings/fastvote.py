"""A phone's vote, answered near the top of the middleware stack.

A room of phones votes within seconds of the facilitator opening a round. An accepted htmx
vote needs the CSRF check, the signed cookie, one statement (services.vote_cast) and the
shared ballot fragment (ratings.phone_state); sessions, authentication, messages, the CSP
header and the URL resolver add nothing to that answer and cost more than the statement
(bench/live_votes.py, BENCHMARKS.md). Anything else, a refusal above all, goes on to the vote
view, which runs the full checks and says why.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CSRF_TOKEN_LENGTH, CsrfViewMiddleware

from workshops.models import normalise_join_code
from workshops.unreachable import UNREACHABLE

from . import services
from .fastpoll import NO_STORE
from .identity import read_participant
from .phone_state import PHONE_POLL_SECONDS, PhoneIdentity, ballot_fragment
from .presence import mark_seen
from .taps import read_tap

PHONE_VOTE = re.compile(r"^/p/([^/]{1,32})/vote/$")


def _vote_view(request):  # pragma: no cover - only named to the CSRF check
    """Stands for ratings.views.vote in the CSRF check (which looks only for csrf_exempt)."""


def phone_vote(get_response):
    csrf = CsrfViewMiddleware(get_response)

    def middleware(request):
        if (
            request.method == "POST"
            and request.path_info.endswith("/vote/")
            and request.META.get("HTTP_HX_REQUEST") == "true"
        ):
            match = PHONE_VOTE.match(request.path_info)
            if match is not None:
                try:
                    response = _accepted_vote(request, match.group(1), csrf)
                except UNREACHABLE:
                    response = None
                if response is not None:
                    return response
        return get_response(request)

    return middleware


def _accepted_vote(request, raw_code: str, csrf: CsrfViewMiddleware) -> HttpResponse | None:
    """The new ballot when the vote is accepted; None sends the request to the vote view."""
    request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware would check it (400 otherwise)
    code = normalise_join_code(raw_code)
    ident = read_participant(request, code)
    if ident is None or ident[2] is None:
        return None
    workshop_pk, token, participant_pk = ident
    csrf.process_request(request)
    if csrf.process_view(request, _vote_view, (), {}) is not None:
        return None  # the view's CSRF check refuses it with Django's own page
    tap = read_tap(request.POST)
    if tap.error is not None:
        return None
    cast = services.vote_cast(workshop_pk, participant_pk, token, code, tap.round_pk, tap.level, tap.order)
    if cast is None:
        return None  # refused or an older tap: the view says why
    # The phone's polls (every PHONE_POLL_SECONDS; this path is for pages with JavaScript)
    # keep it marked present; only an auto-reveal, which counts the room now, marks it here.
    state = cast.state
    if cast.auto_reveal:
        mark_seen(workshop_pk, participant_pk)
        services.auto_reveal_if_all_voted(workshop_pk, tap.round_pk)
        state = None  # the reveal may have moved the state on
    identity = PhoneIdentity(workshop_pk, token, code)
    voted = (tap.round_pk, tap.level)
    csrf_token = _posted_token(request)
    html = ballot_fragment(
        request, identity, PHONE_POLL_SECONDS, voted=voted, state=state, csrf_token=csrf_token
    )
    response = HttpResponse(html)
    response["Cache-Control"] = NO_STORE
    return response


def _posted_token(request) -> str | None:
    """The masked CSRF token the check just accepted, handed back in the new ballot's forms.

    Masking a fresh token (and re-sending the cookie, which get_token asks for) was a fifth of
    a vote's time. The token is the one the phone's page already holds, and this answer is the
    shared ballot, which echoes nothing anyone else wrote, so no new secret-bearing text is
    exposed to a compression attack (the reason Django masks per response).
    """
    token = request.POST.get("csrfmiddlewaretoken") or request.META.get(settings.CSRF_HEADER_NAME, "")
    return token if len(token) == CSRF_TOKEN_LENGTH else None
