"""The join-code throttle and the log-in lockout count once across app servers (issue 10).

Two real gunicorn processes share one database; with REDIS_URL they share the cache too. The
finding was that the throttle lived in each worker's memory: 90 wrong codes got through three
workers before a 429 where the README promises 30. Guesses here alternate between the two
servers, as a load balancer would send them. DEBUG=1 only so that pages render without a
collectstatic run; nothing here depends on it.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from ratings.identity import JOIN_FAILURES_ALLOWED
from tests.servers import ROOT, Browser, gunicorn, manage, server_env

REDIS_URL = os.environ.get("REDIS_URL", "")


def _redis_or_skip() -> str:
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set (CI's PostgreSQL pass sets it; e.g. redis://127.0.0.1:6379/0)")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"Redis at {REDIS_URL} does not answer ({error}); start it with redis-server")
    return REDIS_URL


def _client_address() -> str:
    """A network no earlier run used, so counts left in Redis (five minutes) do not matter (the
    throttle counts an IPv6 /64 as one address)."""
    return f"2001:db8:{random.randrange(1, 0xFFFF):x}:{random.randrange(1, 0xFFFF):x}::1"


def _two_servers(tmp_path, **extra: str):
    env = server_env(f"sqlite:///{tmp_path / 'db.sqlite3'}", DEBUG="1", TRUSTED_PROXIES="127.0.0.1", **extra)
    manage(env, "migrate", "--noinput", "-v0")
    return env


def _guess_wrong_codes(servers: list[str], count: int, address: str | None = None) -> list[int]:
    return _join(servers, ["XXXXXX"] * count, address or _client_address())


def _join(servers: list[str], codes: list[str], address: str) -> list[int]:
    """Each code typed by a new phone at `address`, on the servers in turn."""
    statuses = []
    for i, code in enumerate(codes):
        phone = Browser(headers={"X-Forwarded-For": address})
        token = phone.csrf_token(servers[i % 2] + "/join/")
        status, _, _ = phone.request(
            servers[i % 2] + "/join/", {"csrfmiddlewaretoken": token, "code": code, "sector": "school"}
        )
        statuses.append(status)
    return statuses


def _live_workshop_code(env: dict[str, str]) -> str:
    """seed_demo's follow-up workshop, started: its join code."""
    manage(env, "seed_demo")
    script = (
        "from ratings import services; from workshops.models import Workshop; "
        "w = Workshop.objects.filter(status='draft').first(); "
        "services.workshop_start(w, w.facilitators.first()); print(w.join_code)"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def test_the_join_throttle_counts_once_across_two_servers(tmp_path):
    env = _two_servers(tmp_path, REDIS_URL=_redis_or_skip())
    with gunicorn(env, tmp_path / "a.log") as a, gunicorn(env, tmp_path / "b.log") as b:
        statuses = _guess_wrong_codes([a, b], JOIN_FAILURES_ALLOWED + 2)
        assert statuses[:JOIN_FAILURES_ALLOWED] == [400] * JOIN_FAILURES_ALLOWED
        assert statuses[JOIN_FAILURES_ALLOWED:] == [429, 429]  # the 31st overall, on either server
        # Another phone behind the same proxy is not held up by this one's guesses.
        assert _guess_wrong_codes([b, a], 1) == [400]


def test_a_hall_behind_one_address_keeps_joining_across_two_servers(tmp_path):
    """Issue 21: the code a phone at the address joined with stays open to the hall through
    its typos, whichever server each phone reaches; other codes stay throttled."""
    env = _two_servers(tmp_path, REDIS_URL=_redis_or_skip())
    code = _live_workshop_code(env)
    hall = _client_address()
    with gunicorn(env, tmp_path / "a.log") as a, gunicorn(env, tmp_path / "b.log") as b:
        assert _join([a, b], [code], hall) == [303]
        typos = _guess_wrong_codes([b, a], JOIN_FAILURES_ALLOWED + 2, hall)
        assert typos[-2:] == [429, 429]
        assert _join([a, b], [code, code], hall) == [303, 303]
        assert _join([a], ["XXXXXX"], hall) == [429]


def test_without_redis_each_server_counts_alone(tmp_path):
    """Why production needs REDIS_URL with more than one process: the finding, reproduced."""
    env = _two_servers(tmp_path)
    with gunicorn(env, tmp_path / "a.log") as a, gunicorn(env, tmp_path / "b.log") as b:
        statuses = _guess_wrong_codes([a, b], JOIN_FAILURES_ALLOWED + 2)
    assert statuses == [400] * (JOIN_FAILURES_ALLOWED + 2)


def test_the_login_lockout_counts_once_across_two_servers(tmp_path):
    """django-axes counts failures in the database, which every server shares, Redis or not."""
    env = _two_servers(tmp_path)
    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": "right-password-123"},
        *("createsuperuser", "--noinput", "--username", "alex", "--email", "alex@example.org"),
    )
    with gunicorn(env, tmp_path / "a.log") as a, gunicorn(env, tmp_path / "b.log") as b:
        guesser = Browser(headers={"X-Forwarded-For": _client_address()})
        token = guesser.csrf_token(a + "/accounts/login/")
        form = {"csrfmiddlewaretoken": token, "username": "alex"}
        statuses = [
            guesser.request([a, b][i % 2] + "/accounts/login/", {**form, "password": "wrong"})[0]
            for i in range(5)
        ]
        assert statuses == [200, 200, 200, 200, 429]  # the fifth failure overall locks
        status, html, _ = guesser.request(b + "/accounts/login/", {**form, "password": "right-password-123"})
        assert status == 429 and "Too many failed log-in attempts" in html
