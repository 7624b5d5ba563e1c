"""A phone's vote as one statement: the hot path of a room voting at once.

vote_record (services) holds the rules; this checks and writes the same rules in a single
INSERT … SELECT … ON CONFLICT, found by the phone's signed participant id and token. On
PostgreSQL the statement is prepared once per connection: planning it cost more than running it
(0.47 ms against 0.18 ms, bench notes in BENCHMARKS.md), and a thousand phones send the same
statement.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from workshops.models import Level, Workshop

from .models import Participant, Round, Vote
from .taps import now_ms

PREPARED_NAME = "cascade_vote_cast"
# The statement's parameters, in the order of the prepared statement's $1, $2, … and their types.
PARAMS = ("level", "tap", "round", "workshop", "code", "participant", "token")
PARAM_TYPES = "smallint, bigint, bigint, bigint, varchar, bigint, varchar"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
EXECUTE = f"EXECUTE {PREPARED_NAME} ({', '.join(['%s'] * len(PARAMS))})"  # values in PARAMS order


class VoteCast(NamedTuple):
    """An accepted vote: whether the workshop reveals by itself, and the live state it met.

    `state` is (state version, the round phones vote in), read in the statement's snapshot;
    None when the statement could not tell the live round (then the phone's answer reads the
    state as a poll does).
    """

    auto_reveal: bool
    state: tuple[int, int | None] | None


def _source_sql() -> str:
    """The rows a vote may write: its round, open, in the live workshop of the join code, with
    the signed participant of that workshop and a level of the framework (or none).

    The participant is looked up alone, by primary key and token (both from the signed
    cookie), and then must belong to the workshop. On PostgreSQL `OFFSET 0` keeps that lookup
    apart from the join: a generic plan made while the room was nearly empty (and before any
    ANALYZE) had otherwise walked the workshop's index and read every participant in the room
    on each vote. The round row is share-locked, so a close or reveal waits for the vote, and
    a vote waiting behind a close re-checks the row and finds it closed.
    """
    r, w, p, lv = (
        Round._meta.db_table,
        Workshop._meta.db_table,
        Participant._meta.db_table,
        Level._meta.db_table,
    )
    postgresql = connection.vendor == "postgresql"
    lock = " FOR SHARE OF r" if postgresql else ""
    fence = " OFFSET 0" if postgresql else ""
    return (
        f"FROM {r} r INNER JOIN {w} w ON w.id = r.workshop_id "
        f"INNER JOIN (SELECT id, workshop_id FROM {p} "
        f"WHERE id = %(participant)s AND token = %(token)s{fence}) p ON p.workshop_id = w.id "
        "WHERE r.id = %(round)s AND w.id = %(workshop)s AND w.join_code = %(code)s "
        f"AND r.status = '{Round.Status.OPEN}' AND w.status = '{Workshop.Status.LIVE}' "
        f"AND (%(level)s IS NULL OR EXISTS (SELECT 1 FROM {lv} l WHERE l.framework_id = w.framework_id "
        f"AND l.score = %(level)s)){lock}"
    )


def _upsert_sql() -> str:
    """One row per participant and round; a vote ordered before (or with) the one stored changes
    nothing: no row comes back, and the caller's full path (vote_record) says why (ratings.taps
    has the ordering rule). A row without an order (written before orders) yields to any."""
    v = Vote._meta.db_table
    return (
        "ON CONFLICT (round_id, participant_id) DO UPDATE SET level = excluded.level, "
        "tap_seq = excluded.tap_seq, updated_at = excluded.updated_at "
        f"WHERE {v}.tap_seq IS NULL OR {v}.tap_seq < excluded.tap_seq"
    )


def _vote_cast_sql() -> str:
    """vote_record's checks and upsert as one statement, with named placeholders (%(name)s;
    `now` is the time of the vote). It returns (auto-reveal, state version, live round, whether
    the live round is known) when the vote was written, no row otherwise.

    PostgreSQL reads the answer from the rows the checks already found (a common table
    expression; reading the workshop again in RETURNING cost an eighth of the statement,
    BENCHMARKS.md). An open round is the newest of its domain (opening a round closes every
    other), so on the current domain it is the round phones vote in. SQLite allows no INSERT
    inside a WITH clause, so its RETURNING reads the state with subqueries, as phone_state does.
    """
    v, r, w = Vote._meta.db_table, Round._meta.db_table, Workshop._meta.db_table
    columns = f"INSERT INTO {v} (round_id, participant_id, level, tap_seq, created_at, updated_at) "
    if connection.vendor == "postgresql":
        return (
            "WITH src AS (SELECT r.id AS round_id, p.id AS participant_id, w.auto_reveal, "
            "w.state_version, w.current_domain_id = r.domain_id AS on_current_domain "
            f"{_source_sql()}), ins AS ({columns}"
            "SELECT round_id, participant_id, %(level)s, %(tap)s, %(now)s, %(now)s FROM src "
            f"{_upsert_sql()} RETURNING 1) "
            "SELECT auto_reveal, state_version, round_id, on_current_domain FROM src "
            "WHERE EXISTS (SELECT FROM ins)"
        )
    return (
        f"{columns}SELECT r.id, p.id, %(level)s, %(tap)s, %(now)s, %(now)s {_source_sql()} "
        f"{_upsert_sql()} "
        f"RETURNING (SELECT auto_reveal FROM {w} WHERE id = %(workshop)s), "
        f"(SELECT state_version FROM {w} WHERE id = %(workshop)s), "
        f"(SELECT r2.id FROM {r} r2 INNER JOIN {w} w2 ON w2.id = r2.workshop_id "
        "AND w2.current_domain_id = r2.domain_id WHERE w2.id = %(workshop)s "
        "ORDER BY r2.number DESC LIMIT 1), 1"
    )


def _prepared_sql() -> str:
    """The statement for PREPARE: $1, $2, … in the order of PARAMS; the database's clock."""

    def number(match: re.Match) -> str:
        name = match.group(1)
        return "statement_timestamp()" if name == "now" else f"${PARAMS.index(name) + 1}"

    return PLACEHOLDER.sub(number, _vote_cast_sql())


@functools.lru_cache(maxsize=4)
def _positional(vendor: str) -> tuple[str, list[str]]:
    """The statement with %s placeholders for databases without PREPARE here, and their names."""
    sql = _vote_cast_sql()
    return PLACEHOLDER.sub("%s", sql), PLACEHOLDER.findall(sql)


def _execute(cursor, values: dict) -> None:
    if connection.vendor != "postgresql":
        sql, names = _positional(connection.vendor)
        values = {**values, "now": timezone.now()}  # PostgreSQL's statement uses its own clock
        cursor.execute(sql, [values[name] for name in names])
        return
    # Prepared statements belong to the database session: prepare again on a new connection.
    # Planning the statement cost more than running it, and 7 parameters adapt faster than 13.
    raw = connection.connection
    if getattr(connection, "_vote_cast_prepared_on", None) is not raw:
        cursor.execute(f"PREPARE {PREPARED_NAME} ({PARAM_TYPES}) AS {_prepared_sql()}")
        connection._vote_cast_prepared_on = raw
    cursor.execute(EXECUTE, [values[name] for name in PARAMS])


def vote_cast(
    workshop_pk: int,
    participant_pk: int,
    token: str,
    join_code: str,
    round_pk: int,
    level: int | None,
    tap_seq: int | None = None,
) -> VoteCast | None:
    """A phone's vote in one statement: None when refused (ask vote_record why).

    The same rules as vote_record (the round open, the workshop live, the level in the
    framework, one row per participant and round, ordered by `tap_seq`, or by now when None)
    checked and written by a single INSERT … SELECT … ON CONFLICT: outside a transaction that
    is one round trip to the database.
    """
    order = now_ms() if tap_seq is None else tap_seq
    values = {"level": level, "tap": order, "round": round_pk, "workshop": workshop_pk}
    values.update(code=join_code, participant=participant_pk, token=token)
    with connection.cursor() as cursor:  # autocommit: the statement is its own transaction
        _execute(cursor, values)
        row = cursor.fetchone()
    if row is None:
        return None
    auto_reveal, version, live_round, known = row
    return VoteCast(bool(auto_reveal), (version, live_round) if known else None)
