"""`/healthz` for load balancers: 200 "ok" when the database and the shared cache answer.

Answered by the first middleware, before sessions, CSRF, the host check and the HTTPS redirect,
so a load balancer probing a server by its address over plain HTTP gets the real answer and
no cookie. The body names only which dependency failed: no personal data, nothing cached.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

from workshops.db_deadline import waiting_at_most

PATH = "/healthz"
# A load balancer's probe gives up after a few seconds: a hung database answers 503 before that
# (connecting included), whatever a page would wait (DATABASE_STATEMENT_TIMEOUT).
DATABASE_PROBE_SECONDS = 2.0
logger = logging.getLogger(__name__)


def _database_answers() -> bool:
    try:
        with waiting_at_most(DATABASE_PROBE_SECONDS), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as error:  # any failure means "not healthy"; one log line says why
        logger.warning("healthz: the database does not answer: %s", error)
        return False


def _cache_answers() -> bool:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        cache.set(key, value, 10)
        answered = cache.get(key) == value
        cache.delete(key)
        return answered
    except Exception as error:
        logger.warning("healthz: the cache does not answer: %s", error)
        return False


def healthz(request) -> HttpResponse:
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    healthy = all(checks.values())
    lines = (f"{name}: {'ok' if up else 'unavailable'}\n" for name, up in checks.items())
    body = "ok\n" if healthy else "".join(lines)
    response = HttpResponse(body, status=200 if healthy else 503, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def healthz_middleware(get_response):
    def middleware(request):
        if request.path_info == PATH and request.method in {"GET", "HEAD"}:
            return healthz(request)
        return get_response(request)

    return middleware
