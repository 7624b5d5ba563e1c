"""Owners' personal links and their updates: the rules (pure) and the writes.

A link works until a facilitator or lead revokes the owner's links for the workshop, or the
follow-up workshop (the next phase of the same area and programme) closes; after that the
room has reviewed the actions, so updates by link would rewrite a closed record.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from workshops.mail import email_hash, hash_token, new_token, outbox_add, public_url
from workshops.mail_models import Outbox
from workshops.models import Workshop

from .models import ActionItem, ItemStatus, OwnerLink, OwnerUpdate, PlanEdit
from .owner_models import OWNER_NOTE_MAX
from .rules import changed_fields, normalise_text


class LinkState:
    OK = "ok"
    REVOKED = "revoked"
    EXPIRED = "expired"


def link_state(*, revoked: bool, follow_up_closed: bool) -> str:
    if revoked:
        return LinkState.REVOKED
    if follow_up_closed:
        return LinkState.EXPIRED
    return LinkState.OK


def owner_note_error(note: str) -> str | None:
    """Why a progress note is refused (checked before the database), or None."""
    if len(note) > OWNER_NOTE_MAX:
        return f"Keep the note to {OWNER_NOTE_MAX} characters (it has {len(note)})."
    return None


def owner_status_error(status: str) -> str | None:
    return None if status in dict(ItemStatus.choices) else "Choose one of the statuses listed."


def follow_ups(workshop: Workshop) -> QuerySet[Workshop]:
    """Later-phase workshops of the same area (and programme): the follow-ups of `workshop`."""
    qs = Workshop.objects.filter(area_id=workshop.area_id, phase__gt=workshop.phase)
    if workshop.programme_id:
        qs = qs.filter(programme_id=workshop.programme_id)
    return qs


def follow_up_closed(workshop: Workshop) -> bool:
    return follow_ups(workshop).filter(status=Workshop.Status.CLOSED).exists()


def owner_link_find(raw: str) -> OwnerLink | None:
    if not raw or len(raw) > 100:
        return None
    links = OwnerLink.objects.select_related("workshop", "workshop__area")
    return links.filter(token_hash=hash_token(raw)).first()


def owner_link_state(link: OwnerLink) -> str:
    """A revocation stops every link sent before it; a new link sent afterwards works."""
    return link_state(revoked=link.revoked_at is not None, follow_up_closed=follow_up_closed(link.workshop))


def owner_link_create(workshop: Workshop, email: str) -> str:
    """A new link for this owner and workshop; returns the URL (the token is not stored)."""
    from django.urls import reverse

    raw, hashed = new_token()
    OwnerLink.objects.create(workshop=workshop, email=email.strip().lower(), token_hash=hashed)
    return public_url(reverse("owner_page", args=[raw]))


def owner_items(workshop_id: int, email: str) -> QuerySet[ActionItem]:
    items = ActionItem.objects.filter(workshop_id=workshop_id, owner_email__iexact=email)
    return items.select_related("domain")


def owner_links_revoke(workshop: Workshop, email: str, user) -> int:
    """Stop every link of this owner for this workshop; later notices mint no new ones."""
    now = timezone.now()
    updated = OwnerLink.objects.filter(
        workshop=workshop, email__iexact=email, revoked_at__isnull=True
    ).update(revoked_at=now, revoked_by=user)
    if not updated:  # never notified yet: record the revocation so no link is sent later
        OwnerLink.objects.create(
            workshop=workshop,
            email=email.strip().lower(),
            token_hash=new_token()[1],
            revoked_at=now,
            revoked_by=user,
        )
        updated = 1
    return updated


def owner_is_revoked(workshop_id: int, email: str) -> bool:
    """Revoked and not sent a new link since: no reminders, no new links by themselves."""
    latest = OwnerLink.objects.filter(workshop_id=workshop_id, email__iexact=email).order_by("-pk").first()
    return latest is not None and latest.revoked_at is not None


@transaction.atomic
def owner_update_save(link: OwnerLink, item: ActionItem, *, status: str, note: str) -> OwnerUpdate:
    """Record the owner's update and set the item's status, with an audit entry naming the owner."""
    note = normalise_text(note)
    list(Workshop.objects.select_for_update().filter(pk=item.workshop_id).values_list("pk"))
    current = ActionItem.objects.select_related("domain").get(pk=item.pk)
    update = OwnerUpdate.objects.create(
        workshop_id=current.workshop_id, item=current, status=status, note=note
    )
    changes = changed_fields({"status": current.status}, {"status": status})
    if note:
        changes["progress note"] = [None, note]
    if current.status != status:
        ActionItem.objects.filter(pk=current.pk).update(
            status=status, version=F("version") + 1, updated_by=None, updated_at=timezone.now()
        )
    PlanEdit.objects.create(
        workshop_id=current.workshop_id,
        domain_id=current.domain_id,
        item=current,
        kind=PlanEdit.Kind.OWNER_UPDATE,
        summary=f"{current.domain.code}: {current.description[:150]}",
        changes=changes,
        edited_by=None,
    )
    return update


def owner_emails(workshop: Workshop) -> list[str]:
    emails = (
        ActionItem.objects.filter(workshop=workshop)
        .exclude(owner_email="")
        .values_list("owner_email", flat=True)
    )
    return sorted({e.strip().lower() for e in emails})


def owner_notices_queue(workshop: Workshop, *, again: str = "") -> int:
    """Queue the first notice (with a personal link) for each owner not yet sent one; returns
    how many were queued. The notice has no unsubscribe link: it is the one message the
    owner needs to act at all. `again`: send this (revoked) owner a new link now."""
    queued = 0
    for email in [again] if again else owner_emails(workshop):
        key = f"owner-notice:{workshop.pk}:{email_hash(email)}"
        if again:
            if Outbox.objects.filter(key=key).exists():
                key += f":again:{timezone.now().isoformat()}"
        elif owner_is_revoked(workshop.pk, email):
            continue
        with transaction.atomic():
            url = owner_link_create(workshop, email)
            items = list(owner_items(workshop.pk, email))
            added = outbox_add(
                key=key,
                kind="owner_notice",
                to=email,
                template="owner_notice",
                context={"workshop": workshop, "items": items, "url": url, "name": items[0].owner_name},
            )
            if not added:
                transaction.set_rollback(True)  # queued before: drop the link just made
                continue
        queued += 1
    return queued
