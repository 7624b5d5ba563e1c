"""A plain page for when the database (or the shared cache) is unreachable, and for any 500.

It needs no database, no template and no context: the normal error path would render a
template whose context processors read the session and the user from the database that has
just gone away. The connection is re-opened by Django on the next request, so the site
recovers by itself when the database is back.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse

from workshops.unreachable import UNREACHABLE

logger = logging.getLogger(__name__)


MESSAGE = "The service is briefly unavailable; your work is safe; try again in a minute."
PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Briefly unavailable - CASCADE Workshops</title></head>
<body>
<main>
<h1>Briefly unavailable</h1>
<p>The service is briefly unavailable; your work is safe; try again in a minute.</p>
<p>Votes and plans saved before this page appeared are kept. Reload this page in a minute.</p>
</main>
</body>
</html>
"""


def unavailable_response(status: int = 503) -> HttpResponse:
    response = HttpResponse(PAGE, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = "60"
    return response


class ServiceUnavailableMiddleware:
    """Turns "cannot reach the database or cache" raised by a view into the plain 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNREACHABLE):
            logger.error("database or cache unreachable: %s", exception)
            return unavailable_response(503)
        return None


def server_error(request, *args, **kwargs) -> HttpResponse:
    """handler500: the same plain page, which renders with the database down."""
    return unavailable_response(500)
