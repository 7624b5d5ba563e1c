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

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from workshops.models import Workshop

from .live import participant_ballot, participant_round
from .models import Participant, Vote

VERSION_TTL = 3  # seconds: bounds how stale a version can be after a racing poll
FRAGMENT_TTL = 600  # a state rarely lasts longer; descriptors edited mid-workshop show up by then
CSRF_PLACEHOLDER = "csrf-token-of-this-request"


def _version_key(workshop_pk: int) -> str:
    return f"ratings:state-version:{workshop_pk}"


def forget_version(workshop_pk: int) -> None:
    """Called by every write that bumps the state version (inside its transaction)."""
    key = _version_key(workshop_pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def state_version(workshop_pk: int) -> int | None:
    """The workshop's state version: from the cache, else one query (None: no such workshop)."""
    key = _version_key(workshop_pk)
    version = cache.get(key)
    if version is not None:
        return version
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT state_version FROM {Workshop._meta.db_table} WHERE id = %s", [workshop_pk])
        row = cursor.fetchone()
    if row is None:
        return None
    cache.add(key, row[0], VERSION_TTL)  # add, not set: never overwrite a fresher deletion
    return row[0]


@dataclass(frozen=True)
class PhoneIdentity:
    """The participant behind a phone's cookie, with what the vote path needs."""

    participant_pk: int
    workshop_pk: int
    auto_reveal: bool


def find_participant(workshop_pk: int, token: str, code: str) -> PhoneIdentity | None:
    """One indexed query, no model instances: the vote and the changed poll run it per phone."""
    p, w = Participant._meta.db_table, Workshop._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, w.auto_reveal FROM {p} p INNER JOIN {w} w ON w.id = p.workshop_id "
            "WHERE p.token = %s AND p.workshop_id = %s AND w.join_code = %s",
            [token, workshop_pk, code],
        )
        row = cursor.fetchone()
    return None if row is None else PhoneIdentity(row[0], workshop_pk, bool(row[1]))


NOT_VOTED = "none"


def own_vote(participant_pk: int, round_pk: int | None) -> str:
    """The participant's vote in the round as a fragment variant: 'none', 'unsure' or the level."""
    if round_pk is None:
        return NOT_VOTED
    row = Vote.objects.filter(round_id=round_pk, participant_id=participant_pk).values_list("level").first()
    return _variant(row[0]) if row else NOT_VOTED


def _variant(level: int | None) -> str:
    return "unsure" if level is None else str(level)


def _shared_key(workshop_pk: int, version: int) -> str:
    return f"ratings:phone-state:{workshop_pk}:{version}"


def _fragment_key(workshop_pk: int, version: int, variant: str) -> str:
    return f"ratings:ballot:{workshop_pk}:{version}:{variant}"


def current_round_pk(workshop_pk: int, version: int) -> int | None:
    """The round phones vote in at this state version (cached with the version)."""
    key = _shared_key(workshop_pk, version)
    cached = cache.get(key)
    if cached is not None:
        return cached or None  # 0 stands for "no round"
    round_pk = participant_round(workshop_pk)
    cache.add(key, round_pk or 0, FRAGMENT_TTL)
    return round_pk


def ballot_fragment(
    request, identity: PhoneIdentity, poll_seconds: int, voted: tuple[int, int | None] | None = None
) -> str:
    """The phone's ballot as HTML, shared by everyone in the same state with the same vote.

    `voted` is (round, level) of the vote the caller just recorded: no need to read it back
    while that round is still the one on the phones. A fragment is shared only when the state
    it was rendered from is the one its key names.
    """
    version = state_version(identity.workshop_pk)
    if version is None:
        raise Participant.DoesNotExist
    round_pk = current_round_pk(identity.workshop_pk, version)
    if voted is not None and voted[0] == round_pk:
        variant = _variant(voted[1])
    else:
        variant = own_vote(identity.participant_pk, round_pk)
    key = _fragment_key(identity.workshop_pk, version, variant)
    html = cache.get(key)
    if html is None:
        participant = Participant.objects.select_related("workshop", "workshop__current_domain").get(
            pk=identity.participant_pk
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
            },
        )
        rendered = NOT_VOTED if ballot.vote is None else _variant(ballot.vote.level)
        if participant.workshop.state_version == version and rendered == variant:
            cache.add(key, html, FRAGMENT_TTL)
    return html.replace(CSRF_PLACEHOLDER, get_token(request))
