"""A hall behind one address (issue 21): typos in the room never lock the room out of its own
code, while a guesser at that address still gets no more than JOIN_FAILURES_ALLOWED answers."""

from __future__ import annotations

import random

import pytest
from django.test import Client

from ratings import identity, services
from ratings.models import Participant, Sector
from workshops.models import JOIN_CODE_ALPHABET, Workshop

pytestmark = pytest.mark.django_db

HALL = "203.0.113.9"  # the hall's one NAT address


def _post(client, code):
    return client.post("/join/", {"code": code, "sector": Sector.SCHOOL})


def _typo(code: str, rng: random.Random) -> str:
    """The code with one character mistyped, as a phone in the hall types it."""
    i = rng.randrange(len(code))
    return code[:i] + rng.choice(JOIN_CODE_ALPHABET.replace(code[i], "")) + code[i + 1 :]


def _hall_attempts(code: str, phones: int, typos: int, seed: int) -> list[tuple[int, str]]:
    """(phone, code typed) in a shuffled order; each typing phone mistypes before typing right."""
    rng = random.Random(seed)
    right = [(p, code) for p in range(phones)]
    attempts = right[typos:]
    for p in range(typos):
        attempts.insert(rng.randrange(len(attempts) + 1), (p, _typo(code, rng)))
    for p in range(typos):
        first = next(i for i, (q, _) in enumerate(attempts) if q == p)
        attempts.insert(rng.randrange(first + 1, len(attempts) + 1), (p, code))
    return attempts


def _join_the_hall(code: str, attempts: list[tuple[int, str]]) -> dict[int, list[int]]:
    phones: dict[int, Client] = {}
    statuses: dict[int, list[int]] = {}
    for p, typed in attempts:
        phone = phones.setdefault(p, Client(REMOTE_ADDR=HALL))
        statuses.setdefault(p, []).append(_post(phone, typed).status_code)
    return statuses


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_hall_of_200_behind_one_address_joins_through_40_typos(live_workshop, seed):
    attempts = _hall_attempts(live_workshop.join_code, phones=200, typos=40, seed=seed)
    statuses = _join_the_hall(live_workshop.join_code, attempts)
    assert all(s[-1] == 303 for s in statuses.values()), [p for p, s in statuses.items() if s[-1] != 303]
    assert Participant.objects.filter(workshop=live_workshop).count() == 200


def test_the_right_code_still_joins_after_30_typos_from_the_hall(live_workshop):
    """The finding: after 30 wrong codes from one address the right code got 429 too."""
    assert _post(Client(REMOTE_ADDR=HALL), live_workshop.join_code).status_code == 303
    rng = random.Random(21)
    for _ in range(identity.JOIN_FAILURES_ALLOWED + 10):
        assert _post(Client(REMOTE_ADDR=HALL), _typo(live_workshop.join_code, rng)).status_code in (400, 429)
    assert _post(Client(REMOTE_ADDR=HALL), live_workshop.join_code).status_code == 303


def test_after_the_typos_a_guess_at_any_other_code_is_refused_unchecked(
    live_workshop, area, programme, framework, facilitator
):
    other = Workshop.objects.create(
        area=area, programme=programme, framework=framework, phase=2, title="B", date=live_workshop.date
    )
    other.facilitators.add(facilitator)
    services.workshop_start(other, facilitator)
    assert _post(Client(REMOTE_ADDR=HALL), live_workshop.join_code).status_code == 303
    guesser = Client(REMOTE_ADDR=HALL)
    statuses = [_post(guesser, "XXXXXX").status_code for _ in range(identity.JOIN_FAILURES_ALLOWED + 1)]
    assert statuses == [400] * identity.JOIN_FAILURES_ALLOWED + [429]
    response = _post(guesser, other.join_code)  # right, but no phone here has joined with it
    assert response.status_code == 429 and "Too many wrong codes" in response.content.decode()
    assert not Participant.objects.filter(workshop=other).exists()


def test_a_code_known_to_one_address_does_not_open_the_throttle_at_another(live_workshop):
    assert _post(Client(REMOTE_ADDR=HALL), live_workshop.join_code).status_code == 303
    guesser = Client(REMOTE_ADDR="198.51.100.4")
    for _ in range(identity.JOIN_FAILURES_ALLOWED):
        assert _post(guesser, "XXXXXX").status_code == 400
    assert _post(guesser, live_workshop.join_code).status_code == 429


def test_an_ipv6_guesser_cannot_rotate_addresses_within_its_64(live_workshop):
    for i in range(identity.JOIN_FAILURES_ALLOWED):
        assert _post(Client(REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}"), "XXXXXX").status_code == 400
    assert _post(Client(REMOTE_ADDR="2001:db8:1:2::ffff"), "XXXXXX").status_code == 429
    assert _post(Client(REMOTE_ADDR="2001:db8:1:3::1"), "XXXXXX").status_code == 400  # another network
