"""Demo action plan for the closed demo baseline workshop (called from seed_demo).

Idempotent: running it again leaves one plan per domain and one copy of each action.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.db import transaction
from django.utils import timezone

from workshops.models import Workshop

from .models import ActionItem, DomainPlan, ItemStatus

PLANS = {
    "C1": (
        "Designated mental-health leads are named in 31 of 38 schools.\n"
        "The local offer website lists who does what.",
        "Schools are unsure which referrals go to the early-help hub and which to CAMHS.\n"
        "GPs and school nurses describe the thresholds differently.",
        "Publish a one-page “who does what” for schools, agreed by all partners.\n"
        "Walk through it at the spring headteachers' briefing.",
    ),
    "A1": (
        "Every secondary school has a named CAMHS link worker.",
        "Primary schools have no named contact; link workers change often.",
        "Extend named link workers to the primary clusters.\nKeep the contact list up to date each term.",
    ),
    "S": (
        "The termly mental-health forum brings schools, CAMHS and the local authority together.",
        "Colleges and the voluntary sector rarely attend; decisions are not minuted.",
        "Invite both colleges and the two largest charities; minute actions and owners.",
    ),
    "C2": (
        "Some schools use the Strengths and Difficulties Questionnaire.",
        "No shared outcome measure; results are not compared or fed back to schools.",
        "Agree one measure for Mental Health Support Teams and schools to pilot in two clusters.",
    ),
    "A2": (
        "Staff attended Youth Mental Health First Aid training last year.",
        "Learning is not shared between schools; no time is set aside for it.",
        "Start a termly practice-sharing session hosted by a different school each time.",
    ),
    "D": (
        "The single point of access triages referrals within five working days.",
        "Waits of up to 18 weeks for assessment; families repeat their story.",
        "Test a joint consultation slot: CAMHS clinicians in school once a fortnight.",
    ),
    "E": (
        "The Mental Health Support Team offers guided self-help for mild anxiety.",
        "Interventions offered in schools are not checked against the evidence.",
        "Map what each school offers against the evidence and share the map with governors.",
    ),
}
PRIORITIES = ("C1", "C2", "E")
# Open actions due relative to the day the demo is seeded, so `send_reminders` has owners to
# remind at once: days from today (negative: overdue).
DUE_FROM_TODAY = {
    "Present the guide at the headteachers' briefing": 5,
    "Name a CAMHS link worker for each primary cluster": -12,
    "Choose the outcome measure for the pilot": 3,
    "Host the first practice-sharing session": -4,
}


def demo_email(name: str) -> str:
    """'Dr Amélie Dubois' -> 'amelie.dubois@example.org' (example.org never delivers)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [w for w in re.sub(r"[^A-Za-z ]", "", plain).lower().split() if w not in {"dr", "mr", "ms"}]
    return ".".join(words) + "@example.org"


ITEMS = [
    # domain, description, owner, organisation, days after the workshop, status, note
    ("C1", "Draft the one-page “who does what” guide", "Priya Shah", "North Shire CCG", 30, "done", ""),
    (
        "C1",
        "Present the guide at the headteachers' briefing",
        "Gareth Llewellyn",
        "Local authority",
        75,
        "in_progress",
        "Booked for the March briefing.",
    ),
    (
        "A1",
        "Name a CAMHS link worker for each primary cluster",
        "Siân Roberts",
        "North Shire CAMHS",
        60,
        "not_started",
        "",
    ),
    (
        "S",
        "Invite colleges and charities to the termly forum",
        "Tom Okafor",
        "Local authority",
        21,
        "done",
        "Both colleges accepted.",
    ),
    (
        "C2",
        "Choose the outcome measure for the pilot",
        "Dr Amélie Dubois",
        "North Shire CAMHS",
        45,
        "in_progress",
        "",
    ),
    (
        "C2",
        "Recruit two school clusters for the pilot",
        "Priya Shah",
        "North Shire CCG",
        90,
        "not_started",
        "",
    ),
    (
        "A2",
        "Host the first practice-sharing session",
        "Jo Bennett",
        "Hillside Academy",
        50,
        "not_started",
        "",
    ),
    (
        "D",
        "Run joint consultation slots in three schools",
        "Siân Roberts",
        "North Shire CAMHS",
        120,
        "not_started",
        "",
    ),
    (
        "E",
        "Map school interventions against the evidence",
        "Dr Amélie Dubois",
        "North Shire CAMHS",
        100,
        "not_started",
        "",
    ),
    ("E", "Brief governors on the evidence map", "Jo Bennett", "Hillside Academy", 150, "not_started", ""),
]


@transaction.atomic
def seed_demo_action_plan(workshop: Workshop) -> None:
    """Fill a realistic action plan (notes, three priorities, ten actions) for `workshop`."""
    author = workshop.facilitators.order_by("pk").first()
    now = timezone.now()
    today = timezone.localdate()
    domains = {d.code: d for d in workshop.framework.domains.all()}
    for code, (well, challenges, steps) in PLANS.items():
        if code not in domains:
            continue
        DomainPlan.objects.update_or_create(
            workshop=workshop,
            domain=domains[code],
            defaults={
                "working_well": well,
                "challenges": challenges,
                "next_steps": steps,
                "is_priority": code in PRIORITIES,
                "version": 1,
                "updated_by": author,
                "updated_at": now,
            },
        )
    for code, description, owner, organisation, days, status, note in ITEMS:
        if code not in domains:
            continue
        ActionItem.objects.update_or_create(
            workshop=workshop,
            domain=domains[code],
            description=description,
            defaults={
                "owner_name": owner,
                "owner_organisation": organisation,
                "owner_email": demo_email(owner),
                "due_date": today + dt.timedelta(days=DUE_FROM_TODAY[description])
                if description in DUE_FROM_TODAY
                else workshop.date + dt.timedelta(days=days),
                "status": ItemStatus(status),
                "note": note,
                "created_by": author,
                "updated_by": author,
                "updated_at": now,
            },
        )
