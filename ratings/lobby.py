"""The lobby: phones join while people arrive, before the facilitator starts the workshop.

Opening the doors lets the join form accept the code of a draft workshop; the projector
shows the join address, code and QR code with "N joined" by sector, and the phones wait on
a page listing the domains. Voting stays closed until the facilitator opens it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from workshops.models import Domain, Workshop

from .services import LiveError, _bump, _locked_workshop


def doors_open(workshop: Workshop, user) -> Workshop:
    """Let phones join a draft workshop. A second click (or a live workshop) changes nothing."""
    with transaction.atomic():
        w = _locked_workshop(workshop)
        if w.status == Workshop.Status.CLOSED:
            raise LiveError("This workshop has closed: no one can join it any more.")
        if w.status == Workshop.Status.DRAFT and not w.doors_open:
            _bump(w.pk, doors_open=True)
    workshop.refresh_from_db()
    return workshop


def opens_on_the_day(workshop: Workshop, today: dt.date | None = None) -> bool:
    """Putting the projector up on the workshop's day opens the doors by itself."""
    today = today or timezone.localdate()
    return workshop.status == Workshop.Status.DRAFT and not workshop.doors_open and workshop.date == today


def accepts_joins(workshop: Workshop) -> bool:
    return workshop.status == Workshop.Status.LIVE or (
        workshop.status == Workshop.Status.DRAFT and workshop.doors_open
    )


def domains_to_read(workshop: Workshop) -> list[Domain]:
    """What the phones show while waiting: the domains' titles, in framework order."""
    return list(Domain.objects.filter(framework_id=workshop.framework_id))
