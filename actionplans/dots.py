"""Dot-voting on priorities: each phone places three dots on domains (several on one domain
allowed), the projector shows the tally without names, and the facilitator confirms the top
domains as the workshop's priorities for change (at most three, ties shown).

A row per dot with a slot 1..3 unique per participant: the database itself keeps every phone
at three dots, whatever two taps at once try.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from ratings.models import Participant
from ratings.services import workshop_state_bump
from workshops.models import Domain, Workshop

from .models import DomainPlan
from .notes import Ranked, fourth_dot_message, free_slot, rank_dots
from .notes_models import Dot, LiveNotes
from .notes_services import NotesError, locked_state, require_live, retry_if_locked, touch
from .rules import too_many_priorities_error
from .services import domain_plan_save

# --- the facilitator -----------------------------------------------------------------------


@transaction.atomic
def dots_open(workshop: Workshop, user) -> LiveNotes:
    w, state = locked_state(workshop)
    require_live(w)
    if not state.dots_open:
        state.dots_open = True
        state.save(update_fields=["dots_open"])
        workshop_state_bump(workshop)
        touch(w.pk)
    return state


@transaction.atomic
def dots_close(workshop: Workshop, user) -> LiveNotes:
    w, state = locked_state(workshop)
    if state.dots_open:
        state.dots_open = False
        state.save(update_fields=["dots_open"])
        workshop_state_bump(workshop)
        touch(w.pk)
    return state


@transaction.atomic
def priorities_confirm(workshop: Workshop, user, codes: list[str]) -> list[str]:
    """Make exactly `codes` the workshop's priorities (at most three) and close dot-voting.

    Each domain's flag goes through the plan's versioned save, so the audit trail records it.
    """
    w, state = locked_state(workshop)
    domains = {d.code: d for d in Domain.objects.filter(framework_id=w.framework_id)}
    unknown = [code for code in codes if code not in domains]
    if unknown:
        raise NotesError(f"Not a domain of this workshop: {', '.join(unknown)}.", 400)
    chosen = [code for code in domains if code in set(codes)]  # framework order, no repeats
    error = too_many_priorities_error(chosen)
    if error:
        raise NotesError(error, 400)
    if not chosen:
        raise NotesError("Choose at least one domain as a priority.", 400)
    plans = {p.domain_id: p for p in DomainPlan.objects.filter(workshop=w)}
    # Untick first, then tick: the limit of three holds at every step.
    for want in (False, True):
        for code, domain in domains.items():
            plan = plans.get(domain.pk)
            if (code in chosen) != want or (plan is not None and plan.is_priority == want):
                continue
            if plan is None and not want:
                continue
            data = {
                "working_well": plan.working_well if plan else "",
                "challenges": plan.challenges if plan else "",
                "next_steps": plan.next_steps if plan else "",
                "is_priority": want,
            }
            version = plan.version if plan else 0
            plans[domain.pk] = domain_plan_save(w, domain, data=data, version=version, user=user)
    state.dots_open = False
    state.priorities_confirmed_at = timezone.now()
    state.priority_voters = Dot.objects.filter(workshop=w).values("participant_id").distinct().count()
    state.save(update_fields=["dots_open", "priorities_confirmed_at", "priority_voters"])
    workshop_state_bump(workshop)
    touch(w.pk)
    return chosen


# --- phones -----------------------------------------------------------------------------------


def _require_dots_open(participant: Participant) -> None:
    state = LiveNotes.objects.select_for_update().filter(workshop_id=participant.workshop_id).first()
    if state is None or not state.dots_open or participant.workshop.status != Workshop.Status.LIVE:
        raise NotesError("Choosing priorities is closed: your dot was not placed.")


def _domain(participant: Participant, domain_pk: int | None) -> Domain:
    domain = Domain.objects.filter(framework_id=participant.workshop.framework_id, pk=domain_pk).first()
    if domain is None:
        raise NotesError("That domain is not part of this workshop's framework.", 400)
    return domain


@retry_if_locked
def dot_place(participant: Participant, domain_pk: int | None) -> Dot:
    """One more dot on a domain; the fourth is refused with a message (409)."""
    domain = _domain(participant, domain_pk)
    try:
        with transaction.atomic():
            _require_dots_open(participant)
            slot = free_slot(Dot.objects.filter(participant=participant).values_list("slot", flat=True))
            if slot is None:
                raise NotesError(fourth_dot_message())
            dot = Dot.objects.create(
                workshop_id=participant.workshop_id, participant=participant, domain=domain, slot=slot
            )
            touch(participant.workshop_id)
    except IntegrityError:  # a second tap took the same slot at the same moment
        raise NotesError(fourth_dot_message()) from None
    return dot


@retry_if_locked
@transaction.atomic
def dot_remove(participant: Participant, domain_pk: int | None) -> None:
    """Take one of this phone's dots off a domain (its highest slot, so slots stay packed)."""
    domain = _domain(participant, domain_pk)
    _require_dots_open(participant)
    dot = Dot.objects.filter(participant=participant, domain=domain).order_by("-slot").first()
    if dot is None:
        raise NotesError(f"You have no dot on {domain.code} to take off.", 400)
    dot.delete()
    touch(participant.workshop_id)


# --- reading --------------------------------------------------------------------------------


@dataclass
class Tally:
    """Dots per domain without names, ranked, with the number of people who placed any."""

    rows: list[tuple[Domain, Ranked]]
    people: int
    total: int

    @property
    def most(self) -> int:
        return max((r.dots for _, r in self.rows), default=0) or 1

    @property
    def has_tie(self) -> bool:
        return any(r.tied_at_cut for _, r in self.rows)


def dot_tally(workshop: Workshop, domains: list[Domain]) -> Tally:
    """Two queries whatever the number of phones."""
    counts = dict(
        Dot.objects.filter(workshop=workshop)
        .order_by()
        .values("domain_id")
        .annotate(n=Count("pk"))
        .values_list("domain_id", "n")
    )
    people = Dot.objects.filter(workshop=workshop).values("participant_id").distinct().count()
    by_code = {d.code: counts.get(d.pk, 0) for d in domains}
    lookup = {d.code: d for d in domains}
    ranked = rank_dots(by_code, [d.code for d in domains])
    return Tally(rows=[(lookup[r.code], r) for r in ranked], people=people, total=sum(counts.values()))


def my_dots(participant: Participant) -> dict[int, int]:
    """{domain pk: dots this phone placed there} in one query."""
    mine: dict[int, int] = {}
    for domain_pk in Dot.objects.filter(participant=participant).values_list("domain_id", flat=True):
        mine[domain_pk] = mine.get(domain_pk, 0) + 1
    return mine
