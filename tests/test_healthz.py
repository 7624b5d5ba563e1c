"""`/healthz` for load balancers: 200 when the database and the cache answer, 503 otherwise,
without a session, a cookie or any personal data (issue 10).
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.test import Client

from tests.db_proxy import StallingProxy

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def _unreachable_database():
    """A connection like the test database's, pointed where no database is."""
    settings_dict = dict(connections["default"].settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-directory/db.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="1")
    return type(connections["default"])(settings_dict, alias="unreachable")  # a real DatabaseWrapper


def test_it_answers_ok_when_database_and_cache_answer(django_assert_num_queries):
    with django_assert_num_queries(1):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert not Session.objects.exists()


def test_it_answers_behind_https_redirect_and_for_any_host(settings):
    """A load balancer probes each server by address over plain HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["cascade.example.org"]
    response = Client().get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert Client().head("/healthz").status_code == 200


def test_it_sets_no_cookie_for_a_logged_in_user(client_for, facilitator):
    client = client_for(facilitator)
    response = client.get("/healthz")
    assert response.status_code == 200 and not response.cookies


def test_it_answers_503_when_the_database_does_not(monkeypatch):
    monkeypatch.setattr("cascade_site.health.connection", _unreachable_database())
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database: unavailable\ncache: ok\n"
    assert not response.cookies


def test_it_answers_503_when_the_database_hangs(monkeypatch):
    """A database host that accepts the connection and never answers (hung, or black-holed
    behind a load balancer): the probe says 503 within the connect timeout, not never."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no network connection to hang")
    silent = socket.create_server(("127.0.0.1", 0))
    accepted = []
    threading.Thread(target=lambda: accepted.append(silent.accept()), daemon=True).start()
    database = _unreachable_database()
    database.settings_dict["PORT"] = str(silent.getsockname()[1])
    database.inc_thread_sharing()  # the probe below runs in a thread of its own
    monkeypatch.setattr("cascade_site.health.connection", database)
    answers = []
    probe = threading.Thread(target=lambda: answers.append(Client().get("/healthz")), daemon=True)
    probe.start()
    probe.join(timeout=20)
    silent.close()
    for conn, _ in accepted:
        conn.close()  # a probe still waiting now fails and ends its thread
    assert answers, "/healthz did not answer within 20 s while the database hung"
    assert answers[0].status_code == 503
    assert answers[0].content == b"database: unavailable\ncache: ok\n"


def test_it_answers_503_within_3_s_when_a_reused_connection_hangs(monkeypatch):
    """The finding (issue 21): the database stopped answering under a connection the thread
    already held, and /healthz was silent for 150 s. A proxy that stops forwarding stands for it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no network connection to hang")
    settings_dict = connections["default"].settings_dict
    proxy = StallingProxy(settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432))
    database = _unreachable_database()
    database.settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    database.inc_thread_sharing()  # the probes below run in threads of their own
    monkeypatch.setattr("cascade_site.health.connection", database)

    def probe() -> tuple[float, object]:
        answers = []
        thread = threading.Thread(target=lambda: answers.append(Client().get("/healthz")), daemon=True)
        started = time.monotonic()
        thread.start()
        thread.join(timeout=20)
        return time.monotonic() - started, answers[0] if answers else None

    try:
        _, first = probe()
        assert first is not None and first.status_code == 200  # the connection is open, and reused
        proxy.stall()
        elapsed, answer = probe()
    finally:
        proxy.close()  # a probe still waiting now fails and ends its thread
        database.close()
    assert answer is not None, "/healthz did not answer within 20 s while the database hung"
    assert proxy.dropped_on_reused > 0  # the probe went down the connection it already held
    assert answer.status_code == 503 and answer.content == b"database: unavailable\ncache: ok\n"
    assert elapsed < 3, f"/healthz took {elapsed:.1f} s"


def test_it_answers_503_when_the_cache_does_not(settings):
    settings.CACHES = UNREACHABLE_REDIS
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database: ok\ncache: unavailable\n"


def test_other_methods_are_not_health_checks():
    assert Client().post("/healthz").status_code == 404
