"""A hung database answers 503, not never (issue 21).

The finding: with PostgreSQL accepting connections and no longer answering, a gunicorn thread
holding a reused connection (CONN_MAX_AGE=60) left /healthz silent for 150 s and the phone
ballot for over 40 s. Here a real gunicorn reaches PostgreSQL through a proxy that forwards,
and then stops forwarding while the server holds its connections.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from cascade_site.unavailable import MESSAGE
from ratings import services
from tests.db_proxy import StallingProxy
from tests.servers import Browser, gunicorn, server_env

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proxy():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL; run with DATABASE_URL=postgres://…")
    s = connection.settings_dict
    proxy = StallingProxy(s["HOST"] or "127.0.0.1", int(s["PORT"] or 5432))
    yield proxy
    proxy.close()


@contextlib.contextmanager
def _server(proxy: StallingProxy, log: Path, conn_max_age: str = "60") -> Iterator[str]:
    """gunicorn (1 worker, 2 threads) whose database is behind the proxy."""
    s = connection.settings_dict
    url = f"postgres://{s['USER'] or 'postgres'}@127.0.0.1:{proxy.port}/{s['NAME']}"
    env = server_env(url, DEBUG="1", CONN_MAX_AGE=conn_max_age)  # DEBUG: no collectstatic needed
    env.pop("DATABASE_STATEMENT_TIMEOUT", None)
    env.pop("DATABASE_CONNECT_TIMEOUT", None)  # the defaults, as in production
    with gunicorn(env, log) as base:
        yield base


@pytest.fixture
def server(proxy, tmp_path):
    """CONN_MAX_AGE=60, as in production: each thread keeps its connection across requests."""
    with _server(proxy, tmp_path / "gunicorn.log") as base:
        yield base


def _timed(browser: Browser, url: str) -> tuple[float, int, str]:
    started = time.monotonic()
    status, body, _ = browser.request(url)
    return time.monotonic() - started, status, body


def _joined_phone(base: str, code: str) -> Browser:
    phone = Browser()
    token = phone.csrf_token(base + "/join/")
    form = {"csrfmiddlewaretoken": token, "code": code, "sector": "school", "display_name": ""}
    status, _, headers = phone.request(base + "/join/", {**form, "organisation": ""})
    assert status == 303 and headers["Location"] == f"/p/{code}/", status
    return phone


def test_the_phone_ballot_answers_503_within_10_s_when_the_database_hangs(
    proxy, server, workshop, facilitator
):
    services.workshop_start(workshop, facilitator)
    workshop.refresh_from_db()
    phone = _joined_phone(server, workshop.join_code)
    ballot = f"{server}/p/{workshop.join_code}/"
    for _ in range(4):  # both threads answer a ballot, each over a connection it keeps
        _, status, html = _timed(phone, ballot)
        assert status == 200 and re.search(r"<h1[^>]*>", html)

    proxy.stall()
    elapsed, status, html = _timed(phone, ballot)
    assert proxy.dropped_on_reused > 0  # the page's query went down a connection held from before
    assert status == 503 and MESSAGE in html
    assert elapsed < 10, f"the ballot took {elapsed:.1f} s"
    # The other thread connects anew (or reuses its own): it too answers within the bound.
    elapsed, status, _ = _timed(phone, ballot)
    assert status == 503 and elapsed < 10, f"the next ballot took {elapsed:.1f} s"


def test_healthz_answers_503_within_3_s_when_the_database_hangs(proxy, server):
    assert Browser().request(server + "/healthz")[:2] == (200, "ok\n")
    assert Browser().request(server + "/healthz")[:2] == (200, "ok\n")

    proxy.stall()
    for _ in range(3):  # a thread's reused connection, then new connections that get no answer
        elapsed, status, body = _timed(Browser(), server + "/healthz")
        assert (status, body) == (503, "database: unavailable\ncache: ok\n")
        assert elapsed < 3, f"/healthz took {elapsed:.1f} s"
    assert proxy.dropped_on_reused > 0


def test_a_phone_vote_answers_503_within_10_s_on_a_new_connection(proxy, tmp_path, workshop, facilitator):
    """A vote meets the database first in ratings.fastvote, which hands a failure on to the vote
    view: that must not wait to connect all over again (5 s + 5 s)."""
    services.workshop_start(workshop, facilitator)
    services.voting_open(workshop, facilitator)
    code = workshop.join_code
    with _server(proxy, tmp_path / "gunicorn.log", conn_max_age="0") as base:  # a new connection each time
        phone = _joined_phone(base, code)
        _, status, html = _timed(phone, f"{base}/p/{code}/")
        assert status == 200
        form = {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
            "round": re.search(r'name="round" value="(\d+)"', html).group(1),
            "level": "2",
        }
        phone.headers["HX-Request"] = "true"
        assert phone.request(f"{base}/p/{code}/vote/", form)[0] == 200  # the vote, answered early

        proxy.stall()
        started = time.monotonic()
        status, html, _ = phone.request(f"{base}/p/{code}/vote/", {**form, "level": "3"})
        elapsed = time.monotonic() - started
    assert status == 503 and MESSAGE in html
    assert elapsed < 10, f"the vote took {elapsed:.1f} s"
