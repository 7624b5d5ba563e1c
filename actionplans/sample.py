"""A full, long action plan with votes, for the benchmark, PDF tests and screenshots.

Deterministic (seeded), so the words a test looks for in the PDF are known in advance.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ratings.consensus import suggest_level
from ratings.models import Consensus, HandCount, Participant, Round, Sector, Vote
from workshops.models import Workshop

from .models import ActionItem, DomainPlan, ItemReview, ItemStatus

WORDS = (
    "schools colleges partners referral pathway waiting times governors safeguarding consultation "
    "wellbeing counselling nurses thresholds outcomes questionnaire training supervision families "
    "carers transition pupils attendance exclusion early help hub commissioning budget charity "
    "clinicians practitioners evidence pilot cluster termly forum minutes designated lead "
    "Ysgol Gymraeg Llanfair Caerdydd Gwasanaethau cefnogaeth café naïve coördination résumé "
    "Chloé Zoë Siân Gwenllïan Dŵr Gŵyl Müller Søren Ångström"
).split()
OWNERS = [
    ("Siân Roberts", "Gwasanaeth Iechyd Meddwl Plant"),
    ("Dr Amélie Dubois", "North Shire CAMHS"),
    ("Gareth Llewellyn", "Cyngor Sir Ynys Môn"),
    ("Priya Shah", "North Shire CCG"),
    ("Zoë Müller-Søren", "Hillside Academy"),
    ("Tom Okafor", "Local authority early help"),
]


def long_text(rng: random.Random, words: int, *, lines: int = 4) -> str:
    """`words` words in `lines` paragraphs (line breaks kept in the PDF)."""
    chosen = [rng.choice(WORDS) for _ in range(words)]
    per_line = max(1, words // lines)
    paragraphs = [" ".join(chosen[i : i + per_line]) for i in range(0, words, per_line)]
    return "\n".join(p[0].upper() + p[1:] + "." for p in paragraphs)


def fill_votes(
    workshop: Workshop, *, participants: int = 24, seed: int = 7, shift: int = 0, override: str = "C2"
) -> None:
    """Participants by sector, one round per domain with votes, and agreed levels."""
    rng = random.Random(seed)
    sectors = [s for s, _label in Sector.choices]
    people = [
        Participant.objects.create(workshop=workshop, sector=sectors[i % len(sectors)], display_name=f"P{i}")
        for i in range(participants)
    ]
    for position, domain in enumerate(workshop.framework.domains.all()):
        rnd = Round.objects.create(workshop=workshop, domain=domain, status=Round.Status.CLOSED)
        centre = (position + shift) % 4
        Vote.objects.bulk_create(
            Vote(round=rnd, participant=p, level=max(0, min(3, centre + rng.choice((-1, 0, 0, 1)))))
            for p in people
        )
        if position == 0:
            HandCount.objects.create(round=rnd, level=centre, count=3)
        ballot = list(Vote.objects.filter(round=rnd).values_list("level", flat=True))
        ballot += [centre] * (3 if position == 0 else 0)
        suggested = suggest_level(ballot, workshop.agreement_share)
        level = min(3, suggested + 1) if domain.code == override else suggested
        Consensus.objects.create(
            workshop=workshop,
            domain=domain,
            level=level,
            suggested_level=suggested,
            round=rnd,
            reason="The new joint triage started last month; the room judged it already widespread."
            if level != suggested
            else "",
        )


def fill_plan(
    workshop: Workshop,
    *,
    items: int = 40,
    words: int = 160,
    seed: int = 11,
    user=None,
    priorities: tuple[str, ...] = ("C1", "C2", "E"),
) -> None:
    """Long notes for every domain, `items` action items spread over the domains."""
    rng = random.Random(seed)
    now = timezone.now()
    domains = list(workshop.framework.domains.all())
    for domain in domains:
        DomainPlan.objects.update_or_create(
            workshop=workshop,
            domain=domain,
            defaults={
                "working_well": long_text(rng, words),
                "challenges": long_text(rng, words),
                "next_steps": long_text(rng, words // 2, lines=2),
                "is_priority": domain.code in priorities,
                "version": 1,
                "updated_by": user,
                "updated_at": now,
            },
        )
    statuses = [s for s, _label in ItemStatus.choices]
    ActionItem.objects.bulk_create(
        ActionItem(
            workshop=workshop,
            domain=domains[i % len(domains)],
            description=long_text(rng, 14, lines=1),
            owner_name=OWNERS[i % len(OWNERS)][0],
            owner_organisation=OWNERS[i % len(OWNERS)][1],
            due_date=workshop.date + dt.timedelta(days=14 * (i % 12) - 30),
            status=statuses[i % len(statuses)],
            note=long_text(rng, 10, lines=1) if i % 3 == 0 else "",
            created_by=user,
            updated_by=user,
            updated_at=now,
        )
        for i in range(items)
    )


def review_all(workshop: Workshop, previous: Workshop, *, user=None) -> None:
    """Review every item of `previous` at `workshop` (as a follow-up would)."""
    statuses = [s for s, _label in ItemStatus.choices]
    for i, item in enumerate(ActionItem.objects.filter(workshop=previous)):
        ItemReview.objects.update_or_create(
            workshop=workshop,
            item=item,
            defaults={
                "status": statuses[(i + 1) % len(statuses)],
                "note": f"Reviewed at the follow-up: {item.owner_name} reported progress.",
                "version": 1,
                "reviewed_by": user,
                "reviewed_at": timezone.now(),
            },
        )
