"""Every statement and every wait on the database is bounded (issue 21).

The server cancels a statement after DATABASE_STATEMENT_TIMEOUT; a server that no longer answers
at all is left after workshops.db_deadline's deadline. A real hung database behind a proxy is
tests/test_hung_database.py; here the rules, on a socket that never answers.
"""

from __future__ import annotations

import socket
import time

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import path
from psycopg2 import extensions

from cascade_site import urls as site_urls
from cascade_site.unavailable import MESSAGE
from workshops import db_deadline


class SilentConnection:
    """Stands for a psycopg2 connection whose server never replies: its socket never reads."""

    def __init__(self, status: int = extensions.STATUS_READY):
        self.status = status
        self.ours, self.theirs = socket.socketpair()

    def poll(self) -> int:
        return extensions.POLL_READ

    def fileno(self) -> int:
        return self.ours.fileno()

    def close(self) -> None:
        self.ours.close()
        self.theirs.close()


@pytest.fixture
def timeouts():
    """install() for one test, then the process's callback and limits as they were."""
    callback, saved = extensions.get_wait_callback(), dict(db_deadline._timeouts)
    yield db_deadline.install
    extensions.set_wait_callback(callback)
    db_deadline._timeouts.update(saved)
    db_deadline.new_request()  # this thread's waits that ran out are forgotten


def _seconds_to_fail(conn: SilentConnection) -> float:
    started = time.monotonic()
    with pytest.raises(psycopg2.OperationalError, match="did not answer"):
        db_deadline.wait_with_deadline(conn)
    conn.close()
    return time.monotonic() - started


def test_a_reply_is_awaited_the_statement_timeout_and_a_margin(timeouts, monkeypatch):
    monkeypatch.setattr(db_deadline, "REPLY_MARGIN_SECONDS", 0.2)
    timeouts(connect_timeout=5, statement_timeout=0.3)
    assert 0.45 <= _seconds_to_fail(SilentConnection()) < 2


def test_connecting_is_awaited_the_connect_timeout(timeouts):
    timeouts(connect_timeout=0.4, statement_timeout=30)
    assert 0.35 <= _seconds_to_fail(SilentConnection(status=extensions.STATUS_SETUP)) < 2


def test_waiting_at_most_shortens_every_wait_inside_it(timeouts):
    timeouts(connect_timeout=30, statement_timeout=30)
    with db_deadline.waiting_at_most(0.3):
        assert _seconds_to_fail(SilentConnection()) < 2
        assert _seconds_to_fail(SilentConnection(status=extensions.STATUS_SETUP)) < 2
    assert db_deadline._timeout(SilentConnection()) == 32  # the block's limit ends with it


def test_a_request_waits_out_one_deadline_at_most(timeouts):
    """A phone's poll or vote meets the hung database early (ratings.fastpoll, fastvote) and
    hands over to the full stack, which would wait to connect again: it fails at once instead."""
    timeouts(connect_timeout=0.4, statement_timeout=30)
    assert _seconds_to_fail(SilentConnection(status=extensions.STATUS_SETUP)) >= 0.35
    started, again = time.monotonic(), SilentConnection(status=extensions.STATUS_SETUP)
    with pytest.raises(psycopg2.OperationalError, match="moments ago"):
        db_deadline.wait_with_deadline(again)
    assert time.monotonic() - started < 0.1
    again.close()
    db_deadline.new_request()  # request_started: the next request tries the database again
    assert _seconds_to_fail(SilentConnection(status=extensions.STATUS_SETUP)) >= 0.35


def test_zero_turns_the_limits_off(timeouts):
    timeouts(connect_timeout=0, statement_timeout=0)
    assert db_deadline._timeout(SilentConnection()) is None
    assert db_deadline._timeout(SilentConnection(status=extensions.STATUS_SETUP)) is None


@pytest.mark.django_db
def test_postgresql_sessions_carry_the_statement_timeout(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no statement timeout (it has a busy timeout)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.DATABASE_STATEMENT_TIMEOUT}s"
    assert extensions.get_wait_callback() is db_deadline.wait_with_deadline


def _slow(request):
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '200ms'")  # this session only, for the test
        cursor.execute("SELECT pg_sleep(5)")
    raise AssertionError("the statement ran past its limit")


urlpatterns = [path("slow/", _slow), *site_urls.urlpatterns]


@pytest.mark.django_db(transaction=True)
def test_a_statement_past_its_limit_gives_the_503_page(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's statement_timeout")
    settings.ROOT_URLCONF = __name__
    started = time.monotonic()
    response = Client(raise_request_exception=False).get("/slow/")
    assert response.status_code == 503 and MESSAGE in response.content.decode()
    assert time.monotonic() - started < 3
    connection.close()  # the session's own SET goes with it
