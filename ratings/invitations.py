"""Invitations to rate before the day: created from a checked list, each queued as an email
with a personal link (a random token, stored hashed) and the workshop's calendar file; one
reminder to those who have not rated, two days before the window closes.

The panel counts invited / opened / rated per sector, never anyone's levels.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from workshops.mail import Attachment, hash_token, new_token, outbox_add, public_base, public_url
from workshops.models import Workshop

from .invitation_models import Invitation
from .invitees import Invitee, workshop_ics
from .models import Sector
from .prerating import PRE_ROUND, WindowState, default_closing, workshop_window

REMIND_BEFORE = dt.timedelta(days=2)


def invitation_find(raw: str) -> Invitation | None:
    if not raw or len(raw) > 100:
        return None
    hashed = hash_token(raw)
    found = Invitation.objects.select_related("workshop")
    return found.filter(Q(token_hash=hashed) | Q(reminder_token_hash=hashed)).first()


def _calendar(workshop: Workshop) -> Attachment:
    return Attachment(
        "workshop.ics",
        "text/calendar",
        workshop_ics(
            uid=f"workshop-{workshop.pk}@{public_base().split('://', 1)[-1]}",
            title=f"CASCADE workshop: {workshop.title}",
            venue=workshop.venue,
            day=workshop.date,
            stamp=timezone.now(),
            url=public_base() + "/",
        ),
    )


def _closes(workshop: Workshop) -> dt.datetime:
    return workshop.prerating_closes_at or default_closing(workshop.date)


@transaction.atomic
def invitations_create(workshop: Workshop, invitees: list[Invitee], user) -> tuple[int, int]:
    """(invited now, already invited): each new invitee gets a link and an email in the outbox."""
    known = set(Invitation.objects.filter(workshop=workshop).values_list("email", flat=True))
    created = 0
    for invitee in invitees:
        if invitee.email in known:
            continue
        raw, hashed = new_token()
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    workshop=workshop,
                    name=invitee.name,
                    email=invitee.email,
                    sector=invitee.sector,
                    token_hash=hashed,
                    created_by=user,
                )
        except IntegrityError:
            continue  # invited a moment ago from another tab
        outbox_add(
            key=f"invitation:{invitation.pk}",
            kind="invitation",
            to=invitee.email,
            template="invitation",
            context={
                "workshop": workshop,
                "name": invitee.name,
                "sector": invitation.get_sector_display(),
                "url": public_url(reverse("invitation_open", args=[raw])),
                "closes": _closes(workshop),
            },
            attachment=_calendar(workshop),
        )
        created += 1
    return created, len(invitees) - created


def _not_rated(workshop: Workshop):
    rated = Q(participant__votes__round__number=PRE_ROUND)
    return (
        Invitation.objects.filter(workshop=workshop)
        .annotate(rated=Count("participant__votes", filter=rated))
        .filter(rated=0)
    )


def invite_reminders_queue(now: dt.datetime) -> int:
    """One reminder to each invitee who has not rated, once the window closes within two days."""
    queued = 0
    workshops = Workshop.objects.filter(
        status=Workshop.Status.DRAFT,
        prerating_closes_at__gt=now,
        prerating_closes_at__lte=now + REMIND_BEFORE,
        invitations__isnull=False,
    ).distinct()
    for workshop in workshops:
        if workshop_window(workshop, now) != WindowState.OPEN:
            continue
        for invitation in _not_rated(workshop):
            key = f"invite-reminder:{invitation.pk}"
            with transaction.atomic():
                raw, hashed = new_token()  # the first link's token is not kept: a second link
                Invitation.objects.filter(pk=invitation.pk).update(reminder_token_hash=hashed)
                added = outbox_add(
                    key=key,
                    kind="invite_reminder",
                    to=invitation.email,
                    template="invite_reminder",
                    context={
                        "workshop": workshop,
                        "name": invitation.name,
                        "url": public_url(reverse("invitation_open", args=[raw])),
                        "closes": workshop.prerating_closes_at,
                    },
                    unsubscribe=True,
                )
                if not added:
                    transaction.set_rollback(True)
                    continue
            queued += 1
    return queued


def invitation_counts(workshop: Workshop) -> list[tuple[str, int, int, int]]:
    """(sector, invited, opened, rated) for each sector with invitees: counts, never levels."""
    invited, opened, rated = Counter(), Counter(), Counter()
    rows = (
        Invitation.objects.filter(workshop=workshop)
        .annotate(pre=Count("participant__votes", filter=Q(participant__votes__round__number=PRE_ROUND)))
        .values_list("sector", "opened_at", "pre")
    )
    for sector, opened_at, pre in rows:
        invited[sector] += 1
        opened[sector] += opened_at is not None
        rated[sector] += pre > 0
    return [
        (label, invited[value], opened[value], rated[value])
        for value, label in Sector.choices
        if invited[value]
    ]
