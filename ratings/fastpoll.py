"""The phones' "anything new?" poll, answered at the top of the middleware stack.

A thousand phones ask every second or two; nearly every answer is 204 No Content. Sessions,
CSRF, authentication, messages and the CSP header do nothing for that answer, and the ORM's
query building cost more than the query itself, so this middleware answers it from the signed
cookie and the cached state version (ratings.phone_state) before any of them run. Anything
else (a changed state, no cookie, a bad code) goes on to the view, which answers as before.
"""

from __future__ import annotations

import re

from django.http import HttpResponse

from workshops.models import normalise_join_code

from .fastcache import UNREACHABLE
from .identity import read_participant
from .phone_state import state_version

PHONE_POLL = re.compile(r"^/p/([^/]{1,32})/poll/$")
NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"


def unchanged_phone_poll(get_response):
    def middleware(request):
        if request.method == "GET" and request.path_info.endswith("/poll/"):
            match = PHONE_POLL.match(request.path_info)
            if match is not None and _answered(request, match.group(1)):
                response = HttpResponse(status=204)
                response["Cache-Control"] = NO_STORE
                return response
        return get_response(request)

    return middleware


def _answered(request, raw_code: str) -> bool:
    try:
        return _is_unchanged(request, raw_code)
    except UNREACHABLE:
        return False  # the view meets the same error and answers with the plain 503 page


def _is_unchanged(request, raw_code: str) -> bool:
    seen = request.GET.get("s", "")
    if not seen.isdigit():
        return False
    code = normalise_join_code(raw_code)
    ident = read_participant(request, code)
    if ident is None:
        return False
    workshop_pk, _, participant_pk = ident
    # The phone is in the room ("N of M voted"): marked in the same round trip as the read.
    version = state_version(workshop_pk, seen=participant_pk)
    return version is not None and str(version) == seen
