"""Personal data of the mail features: invitees' and owners' addresses, and the outbox's copies.

- `mail_data_erase(days)`: `days` after a workshop closes (MAIL_RETENTION_DAYS), its invitations
  are deleted and its action owners' addresses blanked (with their links) unless a follow-up
  of that workshop is still open, when the links are in use; sent or stale outbox rows older
  than `days` are deleted. Plan history never holds an address (services mask it).
- `mail_data_rows(email)`: everything held about one address, for a subject-access request.

Kept: owners' progress notes (append-only like reviews, and about the action, not the person)
and unsubscribe records (a hash of the address, needed to keep honouring the request).
The ratings app's anonymise_participants and export_participant reach these through the app
config hooks `erase_personal_data` and `personal_data_rows` (apps.py).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import DateTimeField
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from ratings.invitation_models import Invitation
from workshops.mail import email_hash
from workshops.mail_models import MailOptOut, Outbox
from workshops.models import Workshop
from workshops.spreadsheet import as_text_cell

from .models import ActionItem, OwnerLink, OwnerUpdate
from .owners import follow_ups


def _closed_before(cutoff: dt.datetime):
    return (
        Workshop.objects.filter(status=Workshop.Status.CLOSED)
        .annotate(ended=Coalesce("closed_at", Cast("date", DateTimeField())))
        .filter(ended__lt=cutoff)
    )


@transaction.atomic
def mail_data_erase(days: int, *, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """What was (or, dry run, would be) erased, by kind."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    closed = list(_closed_before(cutoff))
    done = [w.pk for w in closed if not follow_ups(w).exclude(status=Workshop.Status.CLOSED).exists()]
    invitations = Invitation.objects.filter(workshop__in=[w.pk for w in closed])
    items = ActionItem.objects.filter(workshop_id__in=done).exclude(owner_email="")
    links = OwnerLink.objects.filter(workshop_id__in=done)
    outbox = Outbox.objects.filter(created_at__lt=cutoff)
    counts = {
        "invitations": invitations.count(),
        "owner emails": items.count(),
        "owner links": links.count(),
        "outbox messages": outbox.count(),
    }
    if not dry_run:
        invitations.delete()
        items.update(owner_email="")
        links.delete()
        outbox.delete()
    return counts


def _cells(*values) -> list[str]:
    return [as_text_cell("" if v is None else str(v)) for v in values]


def mail_data_rows(email: str) -> list[list[str]]:
    """CSV rows (kind, workshop, then details) of everything held about `email`."""
    email = email.strip().lower()
    rows = [_cells("kind", "workshop", "detail 1", "detail 2", "detail 3", "when")]
    for inv in Invitation.objects.filter(email__iexact=email).select_related("workshop"):
        rows.append(
            _cells(
                "invitation",
                inv.workshop.title,
                inv.name,
                inv.email,
                inv.get_sector_display(),
                inv.created_at,
            )
        )
    items = ActionItem.objects.filter(owner_email__iexact=email).select_related("workshop")
    for item in items:
        rows.append(
            _cells(
                "action owned",
                item.workshop.title,
                item.description,
                item.owner_name,
                item.status,
                item.due_date,
            )
        )
    for update in OwnerUpdate.objects.filter(item__in=items).select_related("workshop"):
        rows.append(
            _cells("update by link", update.workshop.title, update.status, update.note, "", update.created_at)
        )
    for link in OwnerLink.objects.filter(email__iexact=email).select_related("workshop"):
        state = "revoked" if link.revoked_at else ("opened" if link.opened_at else "sent")
        rows.append(
            _cells("personal link", link.workshop.title, state, "(token stored hashed)", "", link.created_at)
        )
    for message in Outbox.objects.filter(to_email__iexact=email):
        rows.append(
            _cells(
                "email", "", message.kind, message.subject, message.sent_at or "not sent", message.created_at
            )
        )
    kinds = MailOptOut.objects.filter(email_hash=email_hash(email)).values_list("kind", flat=True)
    for kind in kinds:
        rows.append(_cells("unsubscribed", "", kind, "", "", ""))
    return rows
