"""What a thousand phones ask for every second or two, answered from the shared cache.

The live state's version lives in the database (Workshop.state_version, bumped by every
facilitator action). Phones compare it on every poll, so it is kept in Django's default cache
(Redis when REDIS_URL is set, shared by every app server) for a few seconds: an unchanged poll
costs one cache read and no query. Every bump deletes the key, inside the transaction and again
once it commits, so no server keeps an old version longer than VERSION_TTL even if a poll read
the database just before the commit.

The ballot fragment is the same for everybody in a state except for the participant's own vote,
so it is rendered once per (workshop, version, vote) and shared; only the CSRF token is filled
in per request. A participant is identified by a signed cookie and found with one small query.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from workshops.models import Workshop

from . import fastcache
from .hooks import live_panels
from .live import participant_ballot
from .models import Participant, Round, Vote
from .presence import mark_seen

# Phones ask more often than the console: a poll's wait is most of how long a reveal takes to
# reach the room, and an unchanged answer is one cache read (bench/live_votes.py, BENCHMARKS.md).
PHONE_POLL_SECONDS = 1.5
VERSION_TTL = 3  # seconds: bounds how stale a version can be after a racing poll
FRAGMENT_TTL = 600  # a state rarely lasts longer; descriptors edited mid-workshop show up by then
CSRF_PLACEHOLDER = "csrf-token-of-this-request"


def _state_key(workshop_pk: int) -> str:
    return f"ratings:phone-state:{workshop_pk}"


def forget_version(workshop_pk: int) -> None:
    """Called by every write that bumps the state version (inside its transaction).

    The key is deleted now and, once the write commits, set to the committed state: a poll
    that read the database just before the commit can then only `add` its older value while
    the key is missing, and the set after the commit overwrites that (a delete alone left it
    for VERSION_TTL, which held back the reveal on a thousand phones).
    """
    key = _state_key(workshop_pk)
    cache.delete(key)
    transaction.on_commit(lambda: _store(workshop_pk, overwrite=True))


def _store(workshop_pk: int, *, overwrite: bool = False) -> str | None:
    """Read (version, live round) from the database and cache it; None: no such workshop."""
    w, r = Workshop._meta.db_table, Round._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT w.state_version, (SELECT r.id FROM {r} r WHERE r.workshop_id = w.id "
            "AND r.domain_id = w.current_domain_id ORDER BY r.number DESC LIMIT 1), w.status "
            f"FROM {w} w WHERE w.id = %s",
            [workshop_pk],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    live_round = row[1] if row[2] == Workshop.Status.LIVE else None
    value = f"{row[0]}:{live_round or ''}"
    if overwrite:
        cache.set(_state_key(workshop_pk), value, VERSION_TTL)
    else:
        cache.add(_state_key(workshop_pk), value, VERSION_TTL)  # never overwrite a fresher value
    return value


def phone_state(workshop_pk: int, *, seen: int | None = None) -> tuple[int, int | None] | None:
    """(state version, the round phones vote in) from one cache read, else one query.

    None when there is no such workshop. The round is the latest of the current domain of a
    live workshop; both come from one statement, so they always belong together. `seen`, a
    participant's pk, also marks that phone present in the same round trip to the cache.
    """
    key = _state_key(workshop_pk)
    cached = fastcache.get(key) if seen is None else mark_seen(workshop_pk, seen, read=key)
    if cached is None:
        cached = _store(workshop_pk)
        if cached is None:
            return None
    version, _, round_pk = cached.partition(":")
    return int(version), int(round_pk) if round_pk else None


def state_version(workshop_pk: int) -> int | None:
    """The workshop's state version (None: no such workshop)."""
    state = phone_state(workshop_pk)
    return None if state is None else state[0]


@dataclass(frozen=True)
class PhoneIdentity:
    """Who a phone's signed cookie says it is (not yet checked against the database)."""

    workshop_pk: int
    token: str
    code: str


NOT_VOTED = "none"


def _variant(level: int | None) -> str:
    return "unsure" if level is None else str(level)


def own_vote(identity: PhoneIdentity, round_pk: int | None) -> str | None:
    """The participant's vote in the round as a fragment variant ('none', 'unsure' or the
    level), in one indexed query; None when no such participant joined this workshop."""
    p, w, v = Participant._meta.db_table, Workshop._meta.db_table, Vote._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.id, v.level FROM {p} p INNER JOIN {w} w ON w.id = p.workshop_id "
            f"LEFT JOIN {v} v ON v.participant_id = p.id AND v.round_id = %s "
            "WHERE p.token = %s AND p.workshop_id = %s AND w.join_code = %s",
            [round_pk or 0, identity.token, identity.workshop_pk, identity.code],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return NOT_VOTED if row[0] is None else _variant(row[1])


def _fragment_key(identity: PhoneIdentity, version: int, variant: str) -> str:
    # The join code too: a key names one workshop's state even where ids are reused (a
    # restored database, the tests' rolled-back transactions).
    return f"ratings:ballot:{identity.workshop_pk}:{identity.code}:{version}:{variant}"


# A fragment never changes under its key, so each process also keeps the ones it used lately:
# at a reveal every phone asks for the new state within a second or two, and a vote answers
# with one; neither then needs a round trip to the shared cache. Kept briefly, like the shared
# copy, so a descriptor edited mid-workshop still shows up.
_local_fragments: dict[str, tuple[float, str]] = {}
LOCAL_FRAGMENTS = 256
LOCAL_FRAGMENT_SECONDS = 60


def _shared_fragment(key: str) -> str | None:
    hit = _local_fragments.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    html = fastcache.get(key)
    if html is not None:
        _remember(key, html)
    return html


def _remember(key: str, html: str) -> None:
    if len(_local_fragments) >= LOCAL_FRAGMENTS:
        _local_fragments.clear()  # a few hundred states: starting afresh costs one read each
    _local_fragments[key] = (time.monotonic() + LOCAL_FRAGMENT_SECONDS, html)


def ballot_fragment(
    request,
    identity: PhoneIdentity,
    poll_seconds: float,
    voted: tuple[int, int | None] | None = None,
    state: tuple[int, int | None] | None = None,
    csrf_token: str | None = None,
) -> str:
    """The phone's ballot as HTML, shared by everyone in the same state with the same vote.

    `voted` is (round, level) of the vote the caller just recorded: no need to read it back
    while that round is still the one on the phones. `state` is (version, live round) when the
    caller has just read it from the database (a vote does), else it comes from the cache. A
    fragment is shared only when the state it was rendered from is the one its key names.
    `csrf_token` is a token this request has already proved valid (else a fresh one is made).
    """
    state = state or phone_state(identity.workshop_pk)
    if state is None:
        raise Participant.DoesNotExist
    version, round_pk = state
    if voted is not None and voted[0] == round_pk:
        variant = _variant(voted[1])
    elif round_pk is None:
        variant = NOT_VOTED  # nothing personal on screen; the signed cookie is enough to show it
    else:
        variant = own_vote(identity, round_pk)
        if variant is None:
            raise Participant.DoesNotExist
    key = _fragment_key(identity, version, variant)
    html = _shared_fragment(key)
    if html is None:
        participant = Participant.objects.select_related("workshop", "workshop__current_domain").get(
            token=identity.token, workshop_id=identity.workshop_pk
        )
        ballot = participant_ballot(participant)
        html = render_to_string(
            "ratings/_ballot.html",
            {
                "ballot": ballot,
                "workshop": participant.workshop,
                "stamp": participant.workshop.state_version,
                "poll_seconds": poll_seconds,
                "csrf_token": CSRF_PLACEHOLDER,
                # Shared by every phone in this state: panels without anything personal.
                "live_panels": live_panels(participant.workshop, "phone", participant=None),
            },
        )
        rendered = NOT_VOTED if ballot.vote is None else _variant(ballot.vote.level)
        if participant.workshop.state_version == version and rendered == variant:
            cache.add(key, html, FRAGMENT_TTL)
            _remember(key, html)
    return html.replace(CSRF_PLACEHOLDER, csrf_token or get_token(request))
