"""Benchmark: a room of phones joins a live workshop, votes, changes once and keeps polling.

    .venv/bin/python bench/live_votes.py                    # 1,000 phones, one app server
    .venv/bin/python bench/live_votes.py --phones 200
    .venv/bin/python bench/live_votes.py --servers 2        # two app servers behind nginx
    .venv/bin/python bench/live_votes.py --proxy            # one app server behind nginx

Recreates the PostgreSQL database `cascade_scale_bench`, clears Redis database 3 and starts
gunicorn (and, with --servers 2, a second gunicorn and Debian's nginx in front) on 127.0.0.1,
sharing PostgreSQL and Redis. All of it stops by itself: a hard time limit, servers killed in
`finally`.

1. Capacity, closed loop, as a share of a trivial Django view on the same servers measured in
   the same run: the unchanged-state check (the phones' poll) and the vote.
2. The phones join through the form (CSRF, signed cookie), arriving over --join-window seconds,
   and keep the page open: each polls as its page says (hx-trigger), on one keep-alive
   connection per phone, all from one asyncio event loop (the client shares the two cores).
3. The facilitator (a logged-in session over HTTP) opens voting; each phone votes at a random
   moment within --vote-window seconds of seeing it and changes its vote once later; then the
   facilitator reveals the votes and moves to the next domain. For each action the script
   records when every phone first received the new state.
4. The database tally is compared with what the server accepted.

Prints the figures and checks the targets of issue 10; on a miss prints "targets NOT met" with
the failing figures and exits 1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from loadclient import Connection, Stats, closed_loop, cpu_by_process, cpu_reference_ms, cpu_spent
from servers import (
    HOST,
    ROOT,
    VENV_BIN,
    create_database,
    start_gunicorn,
    start_nginx,
    stop_all,
    wait_for_port,
    write_settings,
)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cascade_scale_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/3"
HARD_LIMIT_SECONDS = 420
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROUND_RE = re.compile(r'name="round" value="(\d+)"')
STAMP_RE = re.compile(r"/poll/\?s=(\d+)")
ASSET_RE = re.compile(r'(?:href|src)="(/static/[^"?#]+)"')
EVERY_RE = re.compile(r'hx-trigger="every (\d+(?:\.\d+)?)s"')
TARGETS = {
    "vote p95 ms": 250,
    "state check p95 ms": 100,
    "new state p95 s": 2.0,
    "new state max s": 5.0,
    "vote capacity x": 0.5,
    "state check capacity x": 0.8,
    "joins total s": 30.0,
    "join p95 ms": 500,
}


@dataclass
class Phone:
    index: int
    code: str
    conn: Connection
    csrf: str = ""
    stamp: int = -1
    round_pk: str = ""
    every: float = 2.0
    joined: bool = False
    accepted: str | None = None  # the last level the server accepted
    seen: list[tuple[int, float]] = field(default_factory=list)  # (stamp, when it arrived)

    def read_ballot(self, html: str, now: float) -> None:
        if m := CSRF_RE.search(html):
            self.csrf = m.group(1)
        m = ROUND_RE.search(html)
        self.round_pk = m.group(1) if m else ""
        if m := EVERY_RE.search(html):
            self.every = float(m.group(1))
        if m := STAMP_RE.search(html):
            stamp = int(m.group(1))
            if stamp != self.stamp:
                self.stamp = stamp
                self.seen.append((stamp, now))


async def load_assets(phone: Phone, html: str, loaded: set[str]) -> None:
    """What a browser with an empty cache fetches next: the page's style sheets, scripts and
    icon, compressed, one after another on the phone's connection."""
    for path in ASSET_RE.findall(html):
        if path not in loaded:
            loaded.add(path)
            r = await phone.conn.request("GET", path, headers={"Accept-Encoding": "gzip, br"})
            if r.status != 200:
                raise RuntimeError(f"{path} answered {r.status}")


async def join(phone: Phone, stats: Stats, assets: bool = True) -> None:
    """Join page, POST, ballot page ("join" times the three), each page's files with it."""
    started, loaded = time.perf_counter(), set()
    r = await phone.conn.request("GET", f"/join/?code={phone.code}")
    token = CSRF_RE.search(r.body)
    if r.status != 200 or token is None:
        raise RuntimeError(f"join form answered {r.status}")
    if assets:
        await load_assets(phone, r.body, loaded)
    sector = ["school", "nhs", "provider", "la", "ccg", "other"][phone.index % 6]
    form = {"csrfmiddlewaretoken": token.group(1), "code": phone.code, "sector": sector}
    r = await phone.conn.request("POST", "/join/", {**form, "display_name": f"P{phone.index}"})
    if r.status != 303:
        raise RuntimeError(f"join answered {r.status}")
    r = await phone.conn.request("GET", r.headers["location"])
    if r.status != 200:
        raise RuntimeError(f"ballot answered {r.status}")
    if assets:
        await load_assets(phone, r.body, loaded)
    phone.read_ballot(r.body, time.perf_counter())
    phone.joined = True
    stats.add("join", time.perf_counter() - started)


async def vote(phone: Phone, stats: Stats, level: str) -> None:
    form = {"csrfmiddlewaretoken": phone.csrf, "round": phone.round_pk, "level": level}
    started = time.perf_counter()
    r = await phone.conn.request("POST", f"/p/{phone.code}/vote/", form, {"HX-Request": "true"})
    stats.add("vote", time.perf_counter() - started)
    if r.status == 200 and 'aria-pressed="true"' in r.body:
        phone.accepted = level
        phone.read_ballot(r.body, time.perf_counter())
    else:
        stats.error(f"vote answered {r.status}")


async def poll(phone: Phone, stats: Stats) -> None:
    started = time.perf_counter()
    r = await phone.conn.request(
        "GET", f"/p/{phone.code}/poll/?s={phone.stamp}", headers={"HX-Request": "true"}
    )
    now = time.perf_counter()
    if r.status == 204:
        stats.add("state check", now - started)
    elif r.status == 200:
        stats.add("new state", now - started)
        phone.read_ballot(r.body, now)
    else:
        stats.error(f"poll answered {r.status}")


async def run_phone(
    phone: Phone, stats: Stats, join_at: float, end_at: float, rng: random.Random, args
) -> None:
    """Join, then poll like the page does; vote and change once while voting is open."""
    try:
        await asyncio.sleep(max(0.0, join_at - time.perf_counter()))
        await join(phone, stats, not args.no_assets)
        next_poll = time.perf_counter() + rng.uniform(0, phone.every)
        voting_round, vote_at, change_at, votes = "", 0.0, 0.0, 0
        while True:
            now = time.perf_counter()
            if now >= end_at:
                return
            if phone.round_pk and phone.round_pk != voting_round:  # voting opened: plan two taps
                voting_round, votes = phone.round_pk, 0
                vote_at = now + rng.uniform(0, args.vote_window)
                change_at = now + rng.uniform(args.vote_window, args.vote_window + args.change_window)
            due = next_poll
            if voting_round and votes < 2:
                due = min(due, vote_at if votes == 0 else change_at)
            if due > now:
                await asyncio.sleep(min(due, end_at) - now)
                continue
            if voting_round and votes < 2 and now >= (vote_at if votes == 0 else change_at):
                if phone.round_pk == voting_round:
                    await vote(phone, stats, rng.choice(["0", "1", "2", "3", "unsure"]))
                votes += 1
            else:
                await poll(phone, stats)
                next_poll = max(next_poll + phone.every, time.perf_counter())
    except Exception as exc:  # noqa: BLE001 - counted as an error, the run goes on
        stats.error(f"phone {phone.index}: {exc!r}")
    finally:
        phone.conn.close()


async def reference(port: int, stats: Stats, end_at: float) -> None:
    """The trivial view ten times a second during the live run: latency under the same load."""
    conn = Connection(HOST, port)
    try:
        while time.perf_counter() < end_at:
            started = time.perf_counter()
            r = await conn.request("GET", "/bench/trivial/")
            stats.add("trivial (live)", time.perf_counter() - started)
            if r.status != 200:
                stats.error(f"trivial answered {r.status}")
            await asyncio.sleep(0.1)
    finally:
        conn.close()


class Facilitator:
    """A logged-in facilitator posting the console's buttons over HTTP."""

    def __init__(self, port: int, session_key: str, workshop_pk: int) -> None:
        self.conn = Connection(HOST, port)
        self.conn.cookies["sessionid"] = session_key
        self.pk = workshop_pk
        self.csrf = ""

    async def act(self, action: str) -> float:
        if not self.csrf:
            r = await self.conn.request("GET", f"/workshops/{self.pk}/live/")
            self.csrf = CSRF_RE.search(r.body).group(1)
        sent = time.perf_counter()
        r = await self.conn.request(
            "POST", f"/workshops/{self.pk}/live/action/{action}/", {"csrfmiddlewaretoken": self.csrf}
        )
        if r.status != 302:
            raise RuntimeError(f"{action} answered {r.status}")
        return sent


async def capacity(
    port: int, code: str, stats: Stats, seconds: float, concurrency: int, rounds: int = 6
) -> dict[str, float]:
    """Closed-loop requests per second: trivial view, unchanged-state check and vote, interleaved
    `rounds` times; the medians, and the median of each round's ratio to the trivial view."""
    phones: list[Phone] = []
    for i in range(concurrency):
        phone = Phone(100_000 + i, code, Connection(HOST, port))
        await join(phone, Stats(), assets=False)
        phones.append(phone)

    async def trivial(i):
        return phones[i].conn, lambda: ("GET", "/bench/trivial/", None, None)

    async def check(i):
        p = phones[i]
        return p.conn, lambda: ("GET", f"/p/{code}/poll/?s={p.stamp}", None, {"HX-Request": "true"})

    async def tap(i):
        p, levels = phones[i], iter(range(10**9))
        return p.conn, lambda: (
            "POST",
            f"/p/{code}/vote/",
            {"csrfmiddlewaretoken": p.csrf, "round": p.round_pk, "level": str(next(levels) % 4)},
            {"HX-Request": "true"},
        )

    rates: dict[str, list[float]] = {"trivial": [], "state check": [], "vote": []}
    cpu: dict[str, dict[str, float]] = {kind: {} for kind in rates}
    for _ in range(rounds):  # interleaved, so a change in the machine's load hits all three alike
        for kind, make, ok in (
            ("trivial", trivial, {200}),
            ("state check", check, {204}),
            ("vote", tap, {200}),
        ):
            before, answered = cpu_by_process(), len(stats.times.get(f"capacity {kind}", []))
            rates[kind].append(
                await closed_loop(make, f"capacity {kind}", stats, seconds, concurrency, ok, keep_open=True)
            )
            answered = len(stats.times.get(f"capacity {kind}", [])) - answered
            for name, spent in cpu_spent(before, cpu_by_process()).items():
                if answered:
                    share = spent / answered / rounds
                    cpu[kind][name] = cpu[kind].get(name, 0.0) + share
        # The three kinds of a round share the same connections, so the same split of them
        # between the server's worker processes (gunicorn hands each connection to one);
        # the next round reconnects and gets a new split.
        for p in phones:
            p.conn.close()
    for p in phones:
        p.conn.close()
    for kind, values in rates.items():
        print(f"capacity {kind} per slice (req/s): " + ", ".join(f"{v:.0f}" for v in values))
    for kind, spent in cpu.items():
        shown = sorted(((ms * 1000, name) for name, ms in spent.items() if ms * 1000 >= 0.01), reverse=True)
        print(
            f"capacity {kind}, CPU ms per request: {sum(ms for ms, _ in shown):.2f} = "
            + ", ".join(f"{name} {ms:.2f}" for ms, name in shown)
        )
    # Each slice's ratio to the trivial slice just before it, then the median: a burst of other
    # load on the machine then moves one slice, not the verdict.
    ratios = {
        kind: statistics.median(v / t for v, t in zip(rates[kind], rates["trivial"], strict=True))
        for kind in ("state check", "vote")
    }
    return {
        **{kind: statistics.median(values) for kind, values in rates.items()},
        **{f"{kind} x": ratio for kind, ratio in ratios.items()},
    }


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", "--participants", type=int, default=1000)
    parser.add_argument("--servers", type=int, choices=[1, 2], default=1)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers per server (default: 2 in all)"
    )
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--threads", type=int, default=8, help="threads per gthread worker")
    parser.add_argument(
        "--join-window", type=float, default=20.0, help="phones arrive over this many seconds"
    )
    parser.add_argument("--vote-window", type=float, default=10.0, help="first vote within this many seconds")
    parser.add_argument("--change-window", type=float, default=10.0, help="the change within this many after")
    parser.add_argument("--capacity-seconds", type=float, default=1.5, help="each of 6 x 3 slices")
    parser.add_argument("--capacity-concurrency", type=int, default=16)
    parser.add_argument(
        "--port", type=int, default=18200, help="first of the ports used (proxy, then servers)"
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument(
        "--proxy", action="store_true", help="nginx in front of a single server too (as in production)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-assets",
        action="store_true",
        help="phones skip the pages' CSS, scripts and icon on joining (as runs before 2 Dec 2026 did)",
    )
    parser.add_argument(
        "--capacity-only", action="store_true", help="measure the capacity ratios only (no room; no verdict)"
    )
    args = parser.parse_args()
    if args.workers is None:
        args.workers = max(1, 2 // args.servers)  # two worker processes in all: one per core
    return args


def main() -> int:
    args = parse_args()
    load_before = os.getloadavg()
    reference_ms = cpu_reference_ms()
    tmp_dir = tempfile.TemporaryDirectory(prefix="cascade-live-bench-")
    tmp = Path(tmp_dir.name)
    write_settings(tmp)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "bench_live_settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": HOST,
        "CONN_MAX_AGE": "600",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",  # this process reads the tally while the loop runs
    }
    print(
        f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; "
        f"Python reference loop {reference_ms:.0f} ms; "
        f"{args.phones} phones, {args.servers} server(s) x {args.workers} {args.worker_class} workers"
        + (" behind nginx" if args.servers == 2 or args.proxy else "")
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
    )
    create_database(args.database_url)
    manage = [str(VENV_BIN / "python"), str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT, timeout=120)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT, timeout=300)
    os.environ.update(env)
    sys.path[:0] = [str(tmp), str(ROOT)]
    import scenario

    world = scenario.setup()
    # The set-up's writes (a new database, collectstatic) would otherwise be flushed to disk
    # by the kernel during the first half minute of measuring, on the same two cores.
    os.sync()
    server_ports = [args.port + 10 + i for i in range(args.servers)]
    processes = [
        start_gunicorn(p, env, tmp, args.workers, args.worker_class, args.threads) for p in server_ports
    ]
    try:
        for p in server_ports:
            wait_for_port(p)
        port = server_ports[0]
        if args.servers == 2 or args.proxy:
            port = args.port
            processes.append(start_nginx(port, server_ports, tmp))
            wait_for_port(port)
        outcome = asyncio.run(asyncio.wait_for(run(args, port, world), HARD_LIMIT_SECONDS))
    except TimeoutError:
        print(f"targets NOT met: the run did not finish within {HARD_LIMIT_SECONDS} s\nRESULT: FAILED")
        return 1
    except RuntimeError as error:  # a facilitator's action or the capacity phase's join refused
        print(f"targets NOT met: {error}\nRESULT: FAILED")
        return 1
    finally:
        stop_all(processes)
    if not outcome:  # --capacity-only: figures printed, no room and no verdict
        tmp_dir.cleanup()
        return 2
    ok = scenario.report(args, world, outcome, load_before, TARGETS)
    tmp_dir.cleanup()
    return 0 if ok else 1


async def run(args, port: int, world) -> dict:
    stats = Stats()
    rates = await capacity(port, world.capacity_code, stats, args.capacity_seconds, args.capacity_concurrency)
    if args.capacity_only:
        for kind in ("trivial", "state check", "vote"):
            print(stats.line(f"capacity {kind}"))
        print(
            f"capacity only: trivial {rates['trivial']:.0f}/s, state check {rates['state check']:.0f}/s "
            f"({rates['state check x']:.2f}x), vote {rates['vote']:.0f}/s "
            f"({rates['vote x']:.2f}x); no room was run, so no verdict"
        )
        return {}
    rng = random.Random(args.seed)
    phones = [Phone(i, world.code, Connection(HOST, port)) for i in range(args.phones)]
    begin = time.perf_counter() + 0.2
    joins_end = begin + args.join_window
    open_at = joins_end + 2
    reveal_at = open_at + 5 + args.vote_window + args.change_window + 2
    next_at = reveal_at + 8
    end_at = next_at + 8
    tasks = [
        asyncio.create_task(
            run_phone(
                p, stats, begin + rng.uniform(0, args.join_window), end_at, random.Random(rng.random()), args
            )
        )
        for p in phones
    ]
    tasks.append(asyncio.create_task(reference(port, stats, end_at)))
    facilitator = Facilitator(port, world.session_key, world.workshop_pk)
    actions: list[tuple[str, float, int]] = []
    for action, at in (("open", open_at), ("reveal", reveal_at), ("next", next_at)):
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        sent = await facilitator.act(action)
        actions.append((action, sent, world.version()))
    facilitator.conn.close()
    await asyncio.gather(*tasks)
    joined = [p for p in phones if p.joined]
    return {
        "stats": stats,
        "rates": rates,
        "phones": phones,
        "actions": actions,
        "joined": len(joined),
        "joins_total": (max((p.seen[0][1] for p in joined if p.seen), default=begin) - begin),
    }


if __name__ == "__main__":
    sys.exit(main())
