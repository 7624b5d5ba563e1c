"""Writes of the live workshop: each one spans several models and must stay consistent
when two facilitators click at once or two hundred phones vote at the same moment.

Facilitator actions lock the workshop row (SELECT … FOR UPDATE) so they run one after
another. Votes take a shared lock on their round, so votes never wait for each other but
closing or revealing a round waits for votes in flight, and a vote arriving after the
close sees the round closed and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from workshops.models import Domain, Level, Workshop

from .consensus import summarise
from .models import Consensus, ConsensusChange, HandCount, Participant, Round, Vote
from .phone_state import forget_version
from .presence import present_ids
from .taps import SAME_MOMENT_MS, now_ms
from .vote_cast import VoteCast, vote_cast  # noqa: F401 - the vote's one-statement path

REASON_MAX = 500


class LiveError(Exception):
    """A refused live action: a message for people and the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _locked_workshop(workshop: Workshop) -> Workshop:
    """The workshop row locked for this transaction, freshly read."""
    return (
        Workshop.objects.select_for_update(no_key=True, of=("self",))
        .select_related("framework")
        .get(pk=workshop.pk)
    )


def _require_live(workshop: Workshop) -> None:
    if workshop.status == Workshop.Status.CLOSED:
        raise LiveError("This workshop has closed: its ratings are frozen.")
    if workshop.status != Workshop.Status.LIVE:
        raise LiveError("Start the workshop first.")


def _bump(workshop_pk: int, **fields) -> None:
    Workshop.objects.filter(pk=workshop_pk).update(state_version=F("state_version") + 1, **fields)
    forget_version(workshop_pk)  # the phones' cached version, on every app server


def workshop_state_bump(workshop: Workshop) -> None:
    """Wake every phone and screen: the live state changed (also for higher apps' actions,
    such as opening notes, so the phones' cached version is forgotten on every server)."""
    _bump(workshop.pk)
    workshop.refresh_from_db(fields=["state_version"])


def _domain_of(workshop: Workshop, domain_pk: int | None) -> Domain:
    domain = Domain.objects.filter(framework_id=workshop.framework_id, pk=domain_pk).first()
    if domain is None:
        raise LiveError("That domain is not part of this workshop's framework.", 400)
    return domain


def _close_open_rounds(workshop_pk: int, *, except_domain_pk: int | None = None) -> None:
    """Close voting elsewhere; FOR UPDATE waits for votes still being written."""
    qs = Round.objects.select_for_update(no_key=True).filter(
        workshop_id=workshop_pk, status=Round.Status.OPEN
    )
    if except_domain_pk is not None:
        qs = qs.exclude(domain_id=except_domain_pk)
    ids = list(qs.values_list("pk", flat=True))
    if ids:
        Round.objects.filter(pk__in=ids).update(status=Round.Status.CLOSED, closed_at=timezone.now())


def latest_round(workshop_pk: int, domain_pk: int) -> Round | None:
    return Round.objects.filter(workshop_id=workshop_pk, domain_id=domain_pk).order_by("-number").first()


def _reveal_ratings_from_before(w: Workshop, domain: Domain | None) -> None:
    """A workshop set to reveal once everyone has voted shows a domain's ratings from before
    the day as the room arrives: all of them are in, so one key press (Confirm) is saved."""
    if domain is None or not w.auto_reveal:
        return
    now = timezone.now()
    Round.objects.filter(workshop_id=w.pk, domain_id=domain.pk, number=0, revealed_at__isnull=True).exclude(
        status=Round.Status.OPEN
    ).update(status=Round.Status.CLOSED, revealed_at=now)


def workshop_start(workshop: Workshop, user) -> Workshop:
    """Draft -> live, on the first domain."""
    with transaction.atomic():
        w = _locked_workshop(workshop)
        if w.status == Workshop.Status.LIVE:
            return w  # a second click changes nothing
        if w.status == Workshop.Status.CLOSED:
            raise LiveError("This workshop has closed and cannot be started again.")
        errors = w.framework.structure_errors()
        if errors:
            raise LiveError("The framework is incomplete: " + " ".join(errors), 400)
        first = Domain.objects.filter(framework_id=w.framework_id).first()
        _reveal_ratings_from_before(w, first)
        _bump(w.pk, status=Workshop.Status.LIVE, started_at=timezone.now(), current_domain=first)
    workshop.refresh_from_db()
    return workshop


def _locked_on_current_domain(workshop: Workshop, domain_pk: int | None) -> tuple[Workshop, int]:
    """Lock the live workshop; a console showing another domain than the room's is refused."""
    w = _locked_workshop(workshop)
    _require_live(w)
    domain_pk = domain_pk or w.current_domain_id
    if domain_pk != w.current_domain_id:
        raise LiveError("The screen has moved to another domain; reload the console.")
    return w, domain_pk


def voting_open(workshop: Workshop, user, domain_pk: int | None = None) -> Round:
    """Open a round on the current domain: the first, or another one after discussion.

    Idempotent while a round is open (a double click opens one round).
    """
    with transaction.atomic():
        w, domain_pk = _locked_on_current_domain(workshop, domain_pk)
        last = latest_round(w.pk, domain_pk)
        if last is not None and last.is_open:
            return last
        _close_open_rounds(w.pk)
        rnd = Round.objects.create(
            workshop=w, domain_id=domain_pk, number=(last.number + 1) if last else 1, opened_by=user
        )
        _bump(w.pk)
    return rnd


def round_reveal(workshop: Workshop, user, domain_pk: int | None = None) -> Round:
    """Close voting on the current domain's latest round and show its distribution."""
    with transaction.atomic():
        w, domain_pk = _locked_on_current_domain(workshop, domain_pk)
        last = latest_round(w.pk, domain_pk)
        if last is None:
            raise LiveError("Open voting before revealing the votes.")
        # FOR UPDATE conflicts with the voters' shared locks: wait for votes in flight.
        rnd = Round.objects.select_for_update(no_key=True).get(pk=last.pk)
        if rnd.is_revealed and not rnd.is_open:
            return rnd
        now = timezone.now()
        rnd.status = Round.Status.CLOSED
        rnd.closed_at = rnd.closed_at or now
        rnd.revealed_at = rnd.revealed_at or now
        rnd.save(update_fields=["status", "closed_at", "revealed_at"])
        _bump(w.pk)
    return rnd


def auto_reveal_if_all_voted(workshop_pk: int, round_pk: int) -> bool:
    """Reveal once every phone in the room has voted (workshops set to auto-reveal).

    "In the room" is the presence the console shows (phones seen in the last 15-30 s),
    so a phone that left does not hold the reveal back. Runs after the vote's transaction
    so it never upgrades the vote's shared lock.
    """
    joined = Participant.objects.filter(workshop_id=workshop_pk).values_list("pk", flat=True)
    present = present_ids(workshop_pk, among=list(joined))
    if not present:
        return False
    voted = Vote.objects.filter(round_id=round_pk, participant_id__in=present).count()
    if voted < len(present):
        return False
    now = timezone.now()
    with transaction.atomic():
        # Same lock order as the facilitator's actions (workshop, then round): no deadlock.
        list(Workshop.objects.select_for_update(no_key=True).filter(pk=workshop_pk).values_list("pk"))
        changed = Round.objects.filter(pk=round_pk, status=Round.Status.OPEN, revealed_at=None).update(
            status=Round.Status.CLOSED, closed_at=now, revealed_at=now
        )
        if changed:
            _bump(workshop_pk)
    return bool(changed)


def hands_record(workshop: Workshop, user, round_pk: int, counts: dict[int, int]) -> Round:
    """Show-of-hands counts per level for a round; they enter the tally as hand-counted."""
    if any(c < 0 or c > 10_000 for c in counts.values()):
        raise LiveError("Counts must be between 0 and 10 000.", 400)
    with transaction.atomic():
        w = _locked_workshop(workshop)
        _require_live(w)
        rnd = Round.objects.filter(workshop_id=w.pk, pk=round_pk).first()
        if rnd is None:
            raise LiveError("Open voting before entering a show of hands.", 400)
        scores = set(Level.objects.filter(framework_id=w.framework_id).values_list("score", flat=True))
        if set(counts) - scores:
            raise LiveError("A count is for a level outside the framework.", 400)
        for level, count in counts.items():
            HandCount.objects.update_or_create(
                round=rnd, level=level, defaults={"count": count, "entered_by": user}
            )
        _bump(w.pk)
    return rnd


@dataclass
class Confirmation:
    consensus: Consensus
    change: ConsensusChange | None


def consensus_confirm(workshop: Workshop, user, domain_pk: int, level: int, reason: str = "") -> Confirmation:
    """Record the agreed level of a domain, with a history entry when it changes.

    The suggestion of the latest round is the default; any other level needs a reason.
    The room stays on the domain and sees what was agreed: moving on is the facilitator's
    next key (issue 23: a confirm that moved on made N skip a domain).
    """
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise LiveError(f"Keep the reason under {REASON_MAX} characters.", 400)
    with transaction.atomic():
        w = _locked_workshop(workshop)
        _require_live(w)
        domain = _domain_of(w, domain_pk)
        levels = list(Level.objects.filter(framework_id=w.framework_id).values_list("score", flat=True))
        if level not in levels:
            raise LiveError("That level is not part of this workshop's framework.", 400)
        rnd = latest_round(w.pk, domain.pk)
        suggestion = None
        if rnd is not None:
            ballots = list(Vote.objects.filter(round=rnd).values_list("level", flat=True))
            for lv, count in HandCount.objects.filter(round=rnd).values_list("level", "count"):
                ballots.extend([lv] * count)
            valid = [b for b in ballots if b is None or b in levels]
            suggestion = summarise(valid, w.agreement_share, levels).suggestion
        if level != suggestion and not reason:
            raise LiveError(
                "Give a short reason for agreeing a level other than the suggestion."
                if suggestion is not None
                else "No votes were recorded for this domain: give a short reason for the level.",
                400,
            )
        if rnd is not None and rnd.is_open:
            Round.objects.filter(pk=rnd.pk).update(status=Round.Status.CLOSED, closed_at=timezone.now())
        existing = Consensus.objects.filter(workshop=w, domain=domain).first()
        change = None
        if existing is None:
            consensus = Consensus.objects.create(
                workshop=w,
                domain=domain,
                level=level,
                suggested_level=suggestion,
                reason=reason,
                round=rnd,
                confirmed_by=user,
            )
            change = ConsensusChange.objects.create(
                workshop=w, domain=domain, old_level=None, new_level=level, reason=reason, changed_by=user
            )
        else:
            consensus = existing
            old = existing.level
            consensus.level, consensus.suggested_level, consensus.round = level, suggestion, rnd
            consensus.reason, consensus.confirmed_by = reason, user
            consensus.save()
            if old != level:
                change = ConsensusChange.objects.create(
                    workshop=w, domain=domain, old_level=old, new_level=level, reason=reason, changed_by=user
                )
        _bump(w.pk)
    return Confirmation(consensus=consensus, change=change)


def domain_go(workshop: Workshop, user, domain_pk: int | None) -> Domain | None:
    """Put a domain on screen (None: the summary). Voting left open elsewhere closes."""
    with transaction.atomic():
        w = _locked_workshop(workshop)
        _require_live(w)
        domain = _domain_of(w, domain_pk) if domain_pk is not None else None
        if domain is not None and domain.pk == w.current_domain_id:
            return domain
        _close_open_rounds(w.pk, except_domain_pk=domain.pk if domain else None)
        _reveal_ratings_from_before(w, domain)
        _bump(w.pk, current_domain=domain)
    return domain


def domain_next(workshop: Workshop, user) -> Domain | None:
    """The next domain in framework order (after the last: the summary)."""
    domains = list(Domain.objects.filter(framework_id=workshop.framework_id))
    ids = [d.pk for d in domains]
    if workshop.current_domain_id in ids:
        i = ids.index(workshop.current_domain_id)
        target = ids[i + 1] if i + 1 < len(ids) else None
    else:
        target = ids[0] if ids else None
    return domain_go(workshop, user, target)


def workshop_close(workshop: Workshop, user) -> Workshop:
    """Freeze the workshop: voting ends everywhere and no vote is accepted again."""
    with transaction.atomic():
        w = _locked_workshop(workshop)
        if w.status == Workshop.Status.CLOSED:
            return w
        if w.status != Workshop.Status.LIVE:
            raise LiveError("Only a live workshop can be closed.")
        _close_open_rounds(w.pk)
        _bump(w.pk, status=Workshop.Status.CLOSED, closed_at=timezone.now())
    workshop.refresh_from_db()
    return workshop


def _lock_round_sql() -> str:
    """One statement: the round's state, the workshop's status and whether the level exists.

    On PostgreSQL the round row is share-locked: votes run side by side, but a close or
    reveal (FOR UPDATE) waits for them, and a vote waiting behind a close re-reads the row
    and sees it closed.
    """
    r, w, lv = Round._meta.db_table, Workshop._meta.db_table, Level._meta.db_table
    sql = (
        f"SELECT r.status, w.status, "
        f"EXISTS (SELECT 1 FROM {lv} l WHERE l.framework_id = w.framework_id AND l.score = %s) "
        f"FROM {r} r INNER JOIN {w} w ON w.id = r.workshop_id "
        f"WHERE r.id = %s AND r.workshop_id = %s"
    )
    if connection.vendor == "postgresql":
        sql += " FOR SHARE OF r"
    return sql


def vote_record(
    participant: Participant, round_pk: int, level: int | None, tap_seq: int | None = None
) -> Vote:
    """Record or change a participant's vote in an open round. Never duplicates.

    `level` None is "not sure". Refuses (LiveError) when the round is closed, the workshop
    closed or the level outside the framework; nothing is written then. `tap_seq` orders the
    phone's votes (ratings.taps): a tap's time, or None for a post without a tap id, ordered by
    its arrival now. A tap ordered before (or the same as) the vote applied changes nothing, so
    retries from an offline queue can arrive late or twice; a post without a tap id that finds
    a newer tap is refused (409) with the choice that stands, unless that choice is the same
    or came within SAME_MOMENT_MS (a double submit racing itself: the last written stands).
    """
    workshop_pk = participant.workshop_id
    order = now_ms() if tap_seq is None else tap_seq
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_lock_round_sql(), [-1 if level is None else level, round_pk, workshop_pk])
            row = cursor.fetchone()
        if row is None:
            raise LiveError("That vote is not for this workshop.", 400)
        round_status, workshop_status, level_exists = row
        if workshop_status == Workshop.Status.CLOSED:
            raise LiveError("This workshop has closed: votes are no longer accepted.", 409)
        if round_status != Round.Status.OPEN or workshop_status != Workshop.Status.LIVE:
            title = Round.objects.filter(pk=round_pk).values_list("domain__short_title", flat=True).first()
            raise LiveError(f"Voting on {title} closed before your vote arrived; it was not counted.", 409)
        if level is not None and not level_exists:
            raise LiveError("That is not one of the levels: your vote was not recorded.", 400)
        vote = _vote_tap(participant.pk, round_pk, level, order, ties_win=tap_seq is None)
    if tap_seq is None and vote.tap_seq > order + SAME_MOMENT_MS and vote.level != level:
        stands = "not sure" if vote.level is None else str(vote.level)
        raise LiveError(f"A newer tap from this phone is already recorded: your vote {stands} stands.", 409)
    return vote


def _vote_tap(participant_pk: int, round_pk: int, level: int | None, tap_seq: int, ties_win=False) -> Vote:
    """Apply a vote only if ordered after the one applied (or equal, `ties_win`: a post without
    a tap id, numbered by its arrival, is the later choice); the row stays unique. The
    conditional UPDATE re-checks its WHERE after waiting for a concurrent writer of the same
    row, so of two taps racing the newer one always ends up stored.
    """
    mine = Vote.objects.filter(round_id=round_pk, participant_id=participant_pk)
    newer = Q(tap_seq__isnull=True) | (Q(tap_seq__lte=tap_seq) if ties_win else Q(tap_seq__lt=tap_seq))
    for _ in range(2):
        if mine.filter(newer).update(level=level, tap_seq=tap_seq, updated_at=timezone.now()):
            break
        if mine.exists():
            break  # an equal or newer tap is already applied: nothing to change
        Vote.objects.bulk_create(
            [Vote(round_id=round_pk, participant_id=participant_pk, level=level, tap_seq=tap_seq)],
            ignore_conflicts=True,
        )
        if mine.filter(tap_seq=tap_seq).exists():
            break  # inserted (else another request inserted first: try the update again)
    return mine.get()
