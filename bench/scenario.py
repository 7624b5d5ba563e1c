"""The live benchmark's database side: the workshops it drives and the final tally and report.

Imported by bench/live_votes.py once the benchmark's settings are in the environment.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

import django

django.setup()

from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,  # noqa: E402
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connections  # noqa: E402
from loadclient import percentile  # noqa: E402

from ratings import services  # noqa: E402
from ratings.models import Round, Vote  # noqa: E402
from workshops.models import Area, Framework, Workshop  # noqa: E402


@dataclass
class World:
    workshop_pk: int
    code: str
    capacity_code: str
    session_key: str

    def version(self) -> int:
        value = Workshop.objects.filter(pk=self.workshop_pk).values_list("state_version", flat=True).get()
        connections.close_all()
        return value


def setup() -> World:
    """The room's workshop, live on its first domain, and a second one voting, for capacity."""
    cache.clear()  # Redis database of the benchmark: no state version left from an earlier run
    user = get_user_model().objects.create_user("bench-facilitator", password="x" * 20)
    framework = Framework.get_default()
    made = []
    for code in ("BENCH", "CAPACITY"):
        workshop = Workshop.objects.create(
            area=Area.objects.create(code=code, name=f"{code.title()} area"),
            framework=framework,
            title=f"{code.title()} workshop",
            date=dt.date(2026, 9, 1),
        )
        workshop.facilitators.add(user)
        services.workshop_start(workshop, user)
        made.append(workshop)
    services.voting_open(made[1], user)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    world = World(made[0].pk, made[0].join_code, made[1].join_code, session.session_key)
    connections.close_all()
    return world


def _tally(world: World, phones) -> dict:
    rnd = Round.objects.filter(workshop_id=world.workshop_pk).order_by("pk").first()
    votes = (
        {}
        if rnd is None
        else dict(Vote.objects.filter(round=rnd).values_list("participant__display_name", "level"))
    )
    rows = 0 if rnd is None else Vote.objects.filter(round=rnd).count()
    expected = {
        f"P{p.index}": (None if p.accepted == "unsure" else int(p.accepted)) for p in phones if p.accepted
    }
    return {
        "rows": rows,
        "expected": len(expected),
        "lost": sum(1 for name in expected if name not in votes),
        "duplicated": rows - len(votes),
        "unexpected": sum(1 for name in votes if name not in expected),
        "wrong": sum(1 for name, level in expected.items() if name in votes and votes[name] != level),
    }


def _propagation(phones, version: int, sent: float) -> list[float]:
    """Seconds from the facilitator's click until each phone had the new state (inf: never)."""
    delays = []
    for p in phones:
        first = next((when for stamp, when in p.seen if stamp >= version), None)
        delays.append(float("inf") if first is None else max(0.0, first - sent))
    return delays


def report(args, world: World, outcome: dict, load_before, targets: dict) -> bool:
    stats, rates, phones = outcome["stats"], outcome["rates"], outcome["phones"]
    tally = _tally(world, phones)
    print(f"load average before the run: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    for kind in ("join", "vote", "state check", "new state", "trivial (live)"):
        print(stats.line(kind))
    print(
        "capacity (closed loop, {} clients, median requests/s; ratio: median of the slices' ratios): "
        "trivial {:.0f}, state check {:.0f} ({:.2f}x), vote {:.0f} ({:.2f}x)".format(
            args.capacity_concurrency,
            rates["trivial"],
            rates["state check"],
            rates["state check x"],
            rates["vote"],
            rates["vote x"],
        )
    )
    for kind in ("capacity trivial", "capacity state check", "capacity vote"):
        print(stats.line(kind))
    failures = []
    figures = {
        "vote p95 ms": percentile(stats.times.get("vote", []), 95),
        "state check p95 ms": percentile(stats.times.get("state check", []), 95),
        "vote capacity x": rates["vote x"],
        "state check capacity x": rates["state check x"],
        "joins total s": outcome["joins_total"],
        "join p95 ms": percentile(stats.times.get("join", []), 95),
    }
    print(f"joins: {outcome['joined']} of {len(phones)} in {outcome['joins_total']:.1f} s")
    for action, sent, version in outcome["actions"]:
        delays = _propagation(phones, version, sent)
        p95, worst = percentile(delays, 95), max(delays)
        never = sum(1 for d in delays if d == float("inf"))
        print(
            f"after '{action}': new state on the phones p50 {statistics.median(delays):.2f} s, "
            f"p95 {p95:.2f} s, max {worst:.2f} s, never {never}"
        )
        if p95 > targets["new state p95 s"]:
            failures.append(
                f"'{action}' reached 95% of phones in {p95:.2f} s (target {targets['new state p95 s']} s)"
            )
        if worst > targets["new state max s"]:
            failures.append(
                f"'{action}' reached the last phone in {worst:.2f} s (target {targets['new state max s']} s)"
            )
    print(f"errors: {len(stats.errors)}" + (f" (first: {stats.errors[:3]})" if stats.errors else ""))
    print(
        f"tally: {tally['rows']} vote rows for {tally['expected']} phones whose vote was accepted; "
        f"lost {tally['lost']}, duplicated {tally['duplicated']}, unexpected {tally['unexpected']}, "
        f"wrong {tally['wrong']}"
    )
    n_trivial = len(stats.times.get("capacity trivial", []))
    if n_trivial < 200:
        failures.append(f"only {n_trivial} samples of the trivial view (need 200)")
    if stats.errors:
        failures.append(f"{len(stats.errors)} errors")
    if outcome["joined"] < len(phones) or tally["expected"] < len(phones):
        failures.append(f"{outcome['joined']} joined and {tally['expected']} voted of {len(phones)}")
    if (
        tally["lost"]
        or tally["duplicated"]
        or tally["unexpected"]
        or tally["wrong"]
        or tally["rows"] != tally["expected"]
    ):
        failures.append(f"tally wrong: {tally}")
    for name, value in figures.items():
        limit = targets[name]
        low_is_bad = name.endswith(" x")
        if (value < limit) if low_is_bad else not (value < limit):
            failures.append(f"{name} = {value:.2f} (target {'>=' if low_is_bad else '<'} {limit})")
    if failures:
        print("targets NOT met: " + "; ".join(failures))
        print("RESULT: FAILED")
    else:
        print("targets met")
        print("RESULT: OK")
    return not failures
