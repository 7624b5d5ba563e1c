"""Benchmark: the cockpit from the keyboard. 30 phones pre-rated; four domains agree, three split.

    .venv/bin/python bench/room.py --mode keyboard [--participants 30] [--vote-seconds 8] [--seed 1]
    .venv/bin/python bench/room_keys.py            (the same)

Everything goes through the real views with Django's test client (in process, no HTTP), as
bench/room_prerated.py does. The workshop reveals by itself once everyone has voted, so a
pre-rated domain arrives with its distribution on the console. The facilitator uses only the
keyboard: each key press reads the console page it is on, finds the button that key presses
(data-key, or data-step for a clicker's PageDown, exactly as static/ratings/shortcuts.js does),
counts a second press where the page asks first (data-confirm, an override, an empty round) and
posts that button's form. Mouse clicks are counted too (the flow needs none).

No scroll: every button a key presses must sit in the console's action bar, the foot of the
stage that tests/test_cockpit_browser.py shows is inside the window and uncovered at 1366x768
and 1280x720 in every live state; a key whose button is elsewhere counts as a scroll.

Targets: at most 2 actions (key presses and clicks) for each agreeing domain and 4 for each
split one, moving on included; no scroll; under 30 s of mechanics (server time of every
request in the room plus `--vote-seconds` of modelled voting per live round). A miss prints
"targets NOT met" and exits 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from room_prerated import _Rollback, _setup_django  # noqa: E402

AGREEING, SPLIT = 4, 3
MAX_AGREEING, MAX_SPLIT, MAX_MECHANICS_SECONDS = 2, 4, 30.0
FORM_RE = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)
HIDDEN_RE = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')
CHECKED_RE = re.compile(r'<input type="radio" name="level" value="(\d+)"[^>]*checked')
CURRENT_RE = re.compile(r'class="domain-link current"[^>]*>\s*<span class="domain-code">([^<]+)<')
VOTED_RE = re.compile(r'data-testid="voted-count">(\d+)<')


@dataclass
class Domain:
    code: str
    split: bool
    keys: list[str] = field(default_factory=list)
    clicks: int = 0
    live_rounds: int = 0

    @property
    def actions(self) -> int:
        return len(self.keys) + self.clicks

    @property
    def met(self) -> bool:
        return self.actions <= (MAX_SPLIT if self.split else MAX_AGREEING)


@dataclass
class Result:
    participants: int
    vote_seconds: float
    domains: list[Domain] = field(default_factory=list)
    start_keys: int = 0
    scrolls: int = 0
    server_seconds: float = 0.0

    @property
    def live_rounds(self) -> int:
        return sum(d.live_rounds for d in self.domains)

    @property
    def mechanics_seconds(self) -> float:
        return self.server_seconds + self.live_rounds * self.vote_seconds

    @property
    def met(self) -> bool:
        return (
            len(self.domains) == AGREEING + SPLIT
            and all(d.met for d in self.domains)
            and self.scrolls == 0
            and self.mechanics_seconds < MAX_MECHANICS_SECONDS
        )


def _button(form_html: str, key: str) -> str | None:
    """The <button> tag this key presses in one form, as shortcuts.js chooses it."""
    wanted = "data-step" if key == "PageDown" else f'data-key="{key.lower()}"'
    for tag in re.findall(r"<button[^>]*>", form_html):
        if wanted in tag and "disabled" not in tag:
            return tag
    return None


def _asks(tag: str, form_html: str, page: str) -> bool:
    """shortcuts.js's question(): does this press need a second one?"""
    if "data-confirm=" in tag:
        return True
    voted = VOTED_RE.search(page)
    if "data-ask-empty=" in tag and voted and voted.group(1) == "0":
        return True
    suggestion = re.search(r'data-suggestion="(\d+)"', tag)
    checked = CHECKED_RE.search(form_html)
    return bool(checked and (suggestion is None or checked.group(1) != suggestion.group(1)))


class Keyboard:
    """The facilitator at the console, keys only."""

    def __init__(self, client, workshop_pk: int, result: Result) -> None:
        self.client, self.pk, self.result = client, workshop_pk, result
        self.page = ""
        self.load()

    def _timed(self, method, *args, **kwargs):
        start = time.perf_counter()
        response = method(*args, **kwargs)
        self.result.server_seconds += time.perf_counter() - start
        return response

    def load(self) -> str:
        response = self._timed(self.client.get, f"/workshops/{self.pk}/live/")
        assert response.status_code == 200, response.status_code
        self.page = response.content.decode()
        return self.page

    def press(self, key: str, into: list[str]) -> None:
        # In the loop: the action bar. The lobby has no stage: its Start button (in view, as
        # tests/test_cockpit_browser.py checks) is looked for in the whole page.
        parts = self.page.split('class="action-bar"', 1)
        bar = parts[1].split("</section>", 1)[0] if len(parts) == 2 else self.page
        found = [(action, body, tag) for action, body in FORM_RE.findall(bar) if (tag := _button(body, key))]
        if not found:
            self.result.scrolls += 1  # the key's button is not in the stage's action bar
            raise AssertionError(f"no button for {key} in the action bar")
        action, body, tag = found[0]
        into.append(key)
        if _asks(tag, body, self.page):
            into.append("Enter")  # the prompt line: Enter goes ahead
        data = dict(HIDDEN_RE.findall(body))
        if (checked := CHECKED_RE.search(body)) is not None:
            data["level"] = checked.group(1)
        response = self._timed(self.client.post, action, data)
        assert response.status_code == 302, (key, response.status_code, response.content[:300])
        self.load()


def _plan(rng: random.Random, participants: int) -> dict[int, list[str]]:
    """Position -> each participant's pre-rating: four domains agree, three are split."""
    plan = {}
    for position in range(1, 8):
        if position <= AGREEING:
            answers = [str(rng.choice([1, 2]))] * participants
            answers[rng.randrange(participants)] = "unsure"
        else:
            answers = [str(i % 4) for i in range(participants)]
        plan[position] = answers
    return plan


def run_keys(participants: int = 30, vote_seconds: float = 8.0, seed: int = 1) -> Result:
    """The whole day once (Django must be set up): pre-rating, then the room from the keyboard."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from ratings.models import Round
    from workshops.models import Area, Framework, Workshop

    rng = random.Random(seed)
    result = Result(participants=participants, vote_seconds=vote_seconds)
    user = get_user_model().objects.create_superuser("bench-keys", password="x")
    workshop = Workshop.objects.create(
        area=Area.objects.create(code=f"BENCH-KEYS-{seed}", name="Benchmark area"),
        framework=Framework.get_default(),
        title="Keyboard benchmark workshop",
        date=timezone.localdate() + dt.timedelta(days=7),
        auto_reveal=True,
    )
    staff = Client()
    staff.force_login(user)
    assert staff.post(f"/workshops/{workshop.pk}/prerating/", {"action": "open"}).status_code == 302
    plan, phones = _plan(rng, participants), []
    for i in range(participants):
        phone = Client()
        form = {"code": workshop.join_code, "display_name": "", "organisation": "", "sector": "school"}
        assert phone.post("/join/", form).status_code == 303
        for position, answers in plan.items():
            response = phone.post(f"/p/{workshop.join_code}/before/{position}/", {"level": answers[i]})
            assert response.status_code == 303, response.content[:300]
        phones.append(phone)
    for phone in phones:  # in the room: each phone's page is open (presence)
        phone.get(f"/p/{workshop.join_code}/")

    keys = Keyboard(staff, workshop.pk, result)
    start: list[str] = []
    keys.press("S", start)
    result.start_keys = len(start)
    while code := CURRENT_RE.search(keys.page):
        domain = Domain(code.group(1), split="Discuss before agreeing" in keys.page)
        if domain.split:
            keys.press("V", domain.keys)  # a live round after discussion
            domain.live_rounds += 1
            workshop.refresh_from_db()
            live = Round.objects.filter(workshop=workshop, status=Round.Status.OPEN).get()
            start_votes = time.perf_counter()
            for phone in phones:
                level = str(rng.choice([2, 2, 2, 2, 1]) if len(phones) > 3 else 2)
                vote = phone.post(f"/p/{workshop.join_code}/vote/", {"round": live.pk, "level": level})
                assert vote.status_code == 302, vote.content[:300]
            result.server_seconds += time.perf_counter() - start_votes
            keys.load()
            if "Reveal votes" in keys.page:  # not everyone voted: reveal by hand
                keys.press("R", domain.keys)
        keys.press("C", domain.keys)
        keys.press("N", domain.keys)
        result.domains.append(domain)
        if len(result.domains) > 7:  # pragma: no cover - a loop that does not advance
            break
    return result


def report(result: Result) -> None:
    print(f"{result.participants} phones pre-rated 7 domains; {AGREEING} agree and {SPLIT} are split")
    for d in result.domains:
        kind = "split" if d.split else "agrees"
        target = MAX_SPLIT if d.split else MAX_AGREEING
        keys = " ".join(d.keys)
        print(f"  {d.code:3} {kind:6} keys: {keys:22} clicks: {d.clicks}  ({d.actions} ≤ {target})")
    presses = sum(len(d.keys) for d in result.domains)
    clicks = sum(d.clicks for d in result.domains)
    print(f"key presses: {presses} (plus {result.start_keys} to start), clicks: {clicks}", end=", ")
    print(f"scrolls: {result.scrolls}")
    print(
        f"mechanics: {result.mechanics_seconds:.1f} s = {result.server_seconds:.2f} s of server time + "
        f"{result.live_rounds} live round(s) × {result.vote_seconds:.0f} s of voting "
        f"(target < {MAX_MECHANICS_SECONDS:.0f} s)"
    )
    print(f"load average: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} cores)")
    print("targets met" if result.met else "targets NOT met")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--vote-seconds", type=float, default=8.0, help="modelled wait per live round")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not 4 <= args.participants <= 500:
        parser.error("--participants must be between 4 and 500")
    tmp = _setup_django()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    result = None
    try:
        with transaction.atomic():
            result = run_keys(args.participants, args.vote_seconds, args.seed)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        if tmp is not None:
            tmp.cleanup()
    report(result)
    return 0 if result.met else 1


if __name__ == "__main__":
    sys.exit(main())
