"""What `send_reminders` queues: owners' first notices and reminders, and the leads' weekly
digest. Each message has a key naming its week (or workshop), so a second run, or a run on
another server at the same moment, queues nothing new (workshops.mail.outbox_add).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from workshops.mail import email_hash, opted_out, outbox_add, public_url
from workshops.mail_models import Outbox
from workshops.models import Workshop

from .models import ActionItem, ItemStatus, OwnerUpdate
from .owners import follow_up_closed, owner_is_revoked, owner_link_create, owner_notices_queue
from .queries import with_current_status
from .rules import OPEN_STATUSES

REMIND_DAYS_BEFORE = 7


def week_key(day: dt.date) -> str:
    """'2026-W49': one reminder or digest per address per ISO week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def reminder_due(due_dates: Iterable[dt.date | None], today: dt.date, days: int = REMIND_DAYS_BEFORE) -> bool:
    """An owner is reminded when any open action is due within `days` days or overdue."""
    limit = today + dt.timedelta(days=days)
    return any(due is not None and due <= limit for due in due_dates)


def _confirmed_workshops():
    """Workshops whose plans are confirmed (closed) and whose follow-up has not closed."""
    return [w for w in Workshop.objects.filter(status=Workshop.Status.CLOSED) if not follow_up_closed(w)]


def owner_notices_due() -> int:
    """First notices for owners of closed workshops not yet sent one (the button on the plan
    page sends them earlier)."""
    queued = 0
    for workshop in _confirmed_workshops():
        if ActionItem.objects.filter(workshop=workshop).exclude(owner_email="").exists():
            queued += owner_notices_queue(workshop)
    return queued


def _notified(workshop_id: int, email: str) -> bool:
    return Outbox.objects.filter(key=f"owner-notice:{workshop_id}:{email_hash(email)}").exists()


def owner_reminders_queue(today: dt.date) -> int:
    """One email per owner per week listing all their open actions, when one is due soon or overdue."""
    items = with_current_status(
        ActionItem.objects.exclude(owner_email="").select_related("workshop", "workshop__area", "domain"),
        today,
    ).filter(current_status__in=OPEN_STATUSES)
    by_owner: dict[str, dict[int, list[ActionItem]]] = defaultdict(lambda: defaultdict(list))
    workshops: dict[int, Workshop] = {}
    expired: dict[int, bool] = {}
    allowed: dict[tuple[int, str], bool] = {}
    for item in items.order_by("workshop_id", "due_date", "pk"):
        email = item.owner_email.strip().lower()
        wid = item.workshop_id
        if wid not in expired:
            expired[wid] = follow_up_closed(item.workshop)
        if (wid, email) not in allowed:  # once per owner and workshop, not per action
            allowed[wid, email] = owner_is_revoked(wid, email) is False and _notified(wid, email)
        if expired[wid] or not allowed[wid, email]:
            continue
        workshops[wid] = item.workshop
        by_owner[email][wid].append(item)
    labels = dict(ItemStatus.choices)
    queued = 0
    for email, groups in by_owner.items():
        all_items = [i for group in groups.values() for i in group]
        if not reminder_due((i.due_date for i in all_items), today):
            continue
        key = f"owner-reminder:{email_hash(email)}:{week_key(today)}"
        if opted_out(email, "owner_reminder") or Outbox.objects.filter(key=key).exists():
            continue
        for item in all_items:
            item.status_now = labels.get(item.current_status, item.current_status)
        with transaction.atomic():
            context = {
                "name": all_items[0].owner_name,
                "overdue": any(i.is_overdue for i in all_items),
                "groups": [
                    {"workshop": workshops[w], "items": group, "url": owner_link_create(workshops[w], email)}
                    for w, group in groups.items()
                ],
            }
            if not outbox_add(
                key=key,
                kind="owner_reminder",
                to=email,
                template="owner_reminder",
                context=context,
                unsubscribe=True,
            ):
                transaction.set_rollback(True)
                continue
        queued += 1
    return queued


def lead_digests_queue(today: dt.date) -> int:
    """A weekly digest for each CCG lead with an email: their areas' overdue actions and the
    updates owners made by link in the last 7 days; nothing when there is nothing to say."""
    since = timezone.now() - dt.timedelta(days=7)
    labels = dict(ItemStatus.choices)
    queued = 0
    users = get_user_model().objects.filter(is_active=True, led_areas__isnull=False)
    leads = users.exclude(email="").distinct()
    for lead in leads:
        key = f"lead-digest:{lead.pk}:{week_key(today)}"
        if Outbox.objects.filter(key=key).exists():
            continue
        items = ActionItem.objects.filter(workshop__area__leads=lead)
        items = with_current_status(items.select_related("workshop__area", "domain"), today)
        overdue = list(items.filter(is_overdue=True).order_by("due_date", "pk")[:100])
        updated = list(
            OwnerUpdate.objects.filter(workshop__area__leads=lead, created_at__gte=since)
            .select_related("item__workshop__area", "item__domain")
            .order_by("-created_at")[:100]
        )
        if not overdue and not updated:
            continue
        for update in updated:
            update.status_label = labels.get(update.status, update.status)
        context = {
            "name": lead.get_full_name() or lead.username,
            "overdue": overdue,
            "updated": updated,
            "list_url": public_url(reverse("action_items")),
        }
        if outbox_add(
            key=key,
            kind="lead_digest",
            to=lead.email,
            template="lead_digest",
            context=context,
            unsubscribe=True,
        ):
            queued += 1
    return queued
