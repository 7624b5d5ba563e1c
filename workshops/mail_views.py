"""The unsubscribe page linked from reminders and digests (no log-in: the link is signed)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .mail import opt_out, unsubscribe_read

KIND_NAMES = {
    "owner_reminder": "reminders about your actions",
    "lead_digest": "the weekly digest of your areas' actions",
    "invite_reminder": "reminders to rate before a workshop",
}


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str) -> HttpResponse:
    """GET asks (mail scanners open links), POST unsubscribes."""
    found = unsubscribe_read(token)
    if found is None:
        return render(request, "mail/unsubscribe.html", {"invalid": True}, status=404)
    hashed, kind = found
    what = KIND_NAMES.get(kind, "these emails")
    done = False
    if request.method == "POST":
        opt_out(hashed, kind)
        done = True
    return render(request, "mail/unsubscribe.html", {"what": what, "done": done})
