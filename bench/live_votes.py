"""Benchmark: N phones join one live workshop, vote on the open domain and poll every 2 s.

    .venv/bin/python bench/live_votes.py [--participants 200] [--duration 30] [--workers 2]

Starts gunicorn (gthread workers, DEBUG=0, static files from WhiteNoise) on 127.0.0.1 against
a throw-away PostgreSQL database, drives it from this process only over the loopback, and stops
everything by itself (bounded duration, hard time-outs, gunicorn killed in `finally`).

Each participant joins through the form (CSRF and signed cookie as a phone would), votes at a
random moment of the first `--vote-window` seconds (default 10: people read the four levels
first; 2 gives a burst), changes the vote once later, and polls the state every
2 s as the htmx page does. A reference thread times a small static file of the same server.
Prints p50/p95/p99 for vote, poll and reference, the errors, and checks that the database
tally equals the accepted votes (none lost, none duplicated, each participant's last choice).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # loopback only
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cascade_live_bench"
HARD_LIMIT_SECONDS = 300  # whatever the arguments, the run stops by then


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds * 1000)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Phone:
    """One participant's HTTP/1.1 keep-alive connection with its own cookie jar."""

    def __init__(self, port: int, stats: Stats) -> None:
        self.port = port
        self.stats = stats
        self.conn = http.client.HTTPConnection(HOST, port, timeout=20)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        hdrs = {"Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                response = self.conn.getresponse()
                text = response.read().decode()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=20)
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location"), text

    def close(self) -> None:
        self.conn.close()


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROUND_RE = re.compile(r'name="round" value="(\d+)"')
STAMP_RE = re.compile(r"/poll/\?s=(\d+)")


@dataclass
class Participant:
    phone: Phone
    code: str
    csrf: str = ""
    round_pk: str = ""
    stamp: str = ""
    accepted: int | None = None  # last level the server accepted
    accepted_any: bool = False

    def join(self, index: int) -> None:
        status, _, html = self.phone.request("GET", f"/join/?code={self.code}")
        assert status == 200, f"join page {status}"
        token = CSRF_RE.search(html).group(1)
        sector = ["school", "nhs", "provider", "la", "ccg", "other"][index % 6]
        status, location, _ = self.phone.request(
            "POST",
            "/join/",
            {"csrfmiddlewaretoken": token, "code": self.code, "sector": sector, "display_name": f"P{index}"},
        )
        assert status == 303 and location == f"/p/{self.code}/", f"join {status} {location}"
        status, _, html = self.phone.request("GET", location)
        assert status == 200, f"ballot {status}"
        self.csrf = CSRF_RE.search(html).group(1)
        self.round_pk = ROUND_RE.search(html).group(1)
        self.stamp = STAMP_RE.search(html).group(1)

    def vote(self, stats: Stats, level: int) -> None:
        started = time.perf_counter()
        status, _, html = self.phone.request(
            "POST",
            f"/p/{self.code}/vote/",
            {"csrfmiddlewaretoken": self.csrf, "round": self.round_pk, "level": str(level)},
            {"HX-Request": "true"},
        )
        stats.add("vote", time.perf_counter() - started)
        if status == 200 and 'aria-pressed="true"' in html:
            self.accepted, self.accepted_any = level, True
        else:
            stats.error(f"vote answered {status}")

    def poll(self, stats: Stats) -> None:
        started = time.perf_counter()
        status, _, html = self.phone.request(
            "GET", f"/p/{self.code}/poll/?s={self.stamp}", headers={"HX-Request": "true"}
        )
        elapsed = time.perf_counter() - started
        if status == 204:
            stats.add("poll", elapsed)
        elif status == 200:
            stats.add("poll_changed", elapsed)
            match = STAMP_RE.search(html)
            self.stamp = match.group(1) if match else self.stamp
        else:
            stats.error(f"poll answered {status}")


def run_participant(
    p: Participant, stats: Stats, start_at: float, end_at: float, rng: random.Random, window: float
) -> None:
    try:
        first_vote = start_at + rng.uniform(0, window)
        change_vote = start_at + rng.uniform(window, max(window + 1, (end_at - start_at) * 0.8))
        next_poll = start_at + rng.uniform(0, 2)
        voted = changed = False
        while True:
            now = time.perf_counter()
            if now >= end_at:
                break
            due = [t for t, done in ((first_vote, voted), (change_vote, changed)) if not done] + [next_poll]
            wait = min(due) - now
            if wait > 0:
                time.sleep(min(wait, end_at - now))
                continue
            if not voted and now >= first_vote:
                p.vote(stats, rng.randrange(4))
                voted = True
            elif voted and not changed and now >= change_vote:
                p.vote(stats, rng.randrange(4))
                changed = True
            elif now >= next_poll:
                p.poll(stats)
                next_poll += 2.0  # every 2 s, like the htmx page
    except Exception as exc:  # noqa: BLE001 - counted as an error, the run goes on
        stats.error(f"participant failed: {exc!r}")
    finally:
        p.phone.close()


def run_reference(port: int, stats: Stats, static_path: str, end_at: float) -> None:
    phone = Phone(port, stats)
    try:
        while time.perf_counter() < end_at:
            started = time.perf_counter()
            status, _, _ = phone.request("GET", static_path)
            stats.add("reference", time.perf_counter() - started)
            if status != 200:
                stats.error(f"reference answered {status}")
            time.sleep(0.1)
    finally:
        phone.close()


def create_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name) or "bench" not in name:
        raise SystemExit(f"refusing to recreate database {name!r}: its name must contain 'bench'")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres", dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {name}")
    admin.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of voting and polling")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument(
        "--vote-window", type=float, default=10.0, help="first votes spread over this many seconds"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    duration = min(args.duration, HARD_LIMIT_SECONDS - 60)
    deadline = time.monotonic() + HARD_LIMIT_SECONDS

    tmp = tempfile.TemporaryDirectory(prefix="cascade-live-bench-")
    static_root = Path(tmp.name) / "static"
    (Path(tmp.name) / "bench_live_settings.py").write_text(
        "from cascade_site.settings import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(static_root)!r}\n"
        "LOGGING['root']['level'] = 'ERROR'  # noqa: F405\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([tmp.name, str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "bench_live_settings",
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": HOST,
        "CONN_MAX_AGE": "600",
    }
    print(
        f"database {args.database_url} (recreated), {args.participants} participants, {duration:.0f} s, "
        f"first votes within {args.vote_window:.0f} s"
    )
    create_database(args.database_url)
    manage = [str(VENV_BIN / "python"), str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT, timeout=120)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT, timeout=120)

    # The workshop, started with voting open on its first domain, made in this process.
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG")})
    sys.path[:0] = [tmp.name, str(ROOT)]
    import datetime as dt

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from ratings import services
    from ratings.models import Vote
    from workshops.models import Area, Framework, Workshop

    user = get_user_model().objects.create_user("bench-facilitator", password="x" * 20)
    workshop = Workshop.objects.create(
        area=Area.objects.create(code="BENCH", name="Bench area"),
        framework=Framework.get_default(),
        title="Benchmark workshop",
        date=dt.date(2026, 9, 1),
    )
    workshop.facilitators.add(user)
    services.workshop_start(workshop, user)
    rnd = services.voting_open(workshop, user)
    from django.db import connections

    connections.close_all()

    port = free_port()
    log = open(Path(tmp.name) / "gunicorn.log", "w")  # noqa: SIM115 - closed in finally
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "cascade_site.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--keep-alive",
            "10",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stats = Stats()
    try:
        static_path = "/static/ratings/phone.js"
        for _ in range(100):
            try:
                with socket.create_connection((HOST, port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        probe = Phone(port, stats)
        status, _, _ = probe.request("GET", static_path)
        probe.close()
        assert status == 200, f"server not ready: {status}"

        participants = [Participant(Phone(port, stats), workshop.join_code) for _ in range(args.participants)]
        started = time.perf_counter()
        join_errors: list[str] = []

        def join_range(chunk: list[tuple[int, Participant]]) -> None:
            for i, p in chunk:
                try:
                    p.join(i)
                except Exception as exc:  # noqa: BLE001
                    join_errors.append(repr(exc))

        chunks = [list(enumerate(participants))[i::16] for i in range(16)]
        joiners = [threading.Thread(target=join_range, args=(c,)) for c in chunks]
        for t in joiners:
            t.start()
        for t in joiners:
            t.join(timeout=120)
        print(f"joined {args.participants - len(join_errors)} in {time.perf_counter() - started:.1f} s")
        for e in join_errors:
            stats.error(f"join failed: {e}")
        ready = [p for p in participants if p.round_pk]

        start_at = time.perf_counter() + 0.5
        end_at = start_at + duration
        rng = random.Random(args.seed)
        threads = [
            threading.Thread(
                target=run_participant,
                args=(p, stats, start_at, end_at, random.Random(rng.random()), args.vote_window),
            )
            for p in ready
        ]
        threads.append(threading.Thread(target=run_reference, args=(port, stats, static_path, end_at)))
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(1, end_at - time.perf_counter() + 30))
            if time.monotonic() > deadline:
                stats.error("hard time limit reached")
                break
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
        log.close()

    # The database tally against what the server accepted.
    db_votes = dict(Vote.objects.filter(round=rnd).values_list("participant__display_name", "level"))
    expected = {f"P{i}": p.accepted for i, p in enumerate(participants) if p.accepted_any}
    rows = Vote.objects.filter(round=rnd).count()
    lost = sum(1 for name in expected if name not in db_votes)
    unexpected = sum(1 for name in db_votes if name not in expected)
    wrong = sum(1 for name, level in expected.items() if name in db_votes and db_votes[name] != level)
    duplicates = rows - len(db_votes)

    def line(kind: str) -> str:
        values = stats.times.get(kind, [])
        if not values:
            return f"{kind:>13}: none"
        return (
            f"{kind:>13}: n={len(values):5d}  p50={percentile(values, 50):6.1f} ms  "
            f"p95={percentile(values, 95):6.1f} ms  p99={percentile(values, 99):6.1f} ms  "
            f"max={max(values):6.1f} ms"
        )

    print(f"gunicorn: {args.workers} workers x {args.threads} threads (gthread), DEBUG=0, PostgreSQL")
    print("machine load average (1, 5, 15 min) at the end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    for kind in ("vote", "poll", "poll_changed", "reference"):
        print(line(kind))
    ref = statistics.median(stats.times.get("reference", [float("nan")]))
    for kind in ("vote", "poll"):
        values = stats.times.get(kind)
        if values:
            print(f"{kind} p50 / reference p50 = {statistics.median(values) / ref:.1f}x")
    print(f"errors: {len(stats.errors)}" + (f" (first: {stats.errors[:3]})" if stats.errors else ""))
    print(
        f"tally: {rows} vote rows for {len(expected)} participants whose vote was accepted; "
        f"lost {lost}, duplicated {duplicates}, unexpected {unexpected}, wrong level {wrong}"
    )
    everyone = len(expected) == args.participants  # every phone joined and had a vote accepted
    ok = (
        everyone
        and not stats.errors
        and lost == duplicates == unexpected == wrong == 0
        and rows == len(expected)
    )
    print("RESULT: " + ("OK" if ok else "FAILED"))
    connections.close_all()
    tmp.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
