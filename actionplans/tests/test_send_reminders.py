"""send_reminders end to end over a real SMTP server: the owner's notice, their link opened
anonymously, an update the lead sees; reminders and digests once a week; nothing twice."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from actionplans.models import ActionItem, OwnerUpdate, PlanEdit
from workshops.mail_models import Outbox
from workshops.models import Workshop

from .conftest import add_item

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def closed(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.CLOSED)
    workshop.refresh_from_db()
    return workshop


def run(today: dt.date = TODAY) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_reminders", today=today.isoformat(), stdout=out)
    return out.getvalue()


def link_in(text: str) -> str:
    return re.search(r"https://cascade\.example\.org(/a/[^/\s]+/)", text).group(1)


def test_the_owner_updates_by_the_emailed_link_and_the_lead_sees_it(smtp, closed, lead, client_for):
    item = add_item(
        closed, owner_name="Ann", owner_email="ann@example.org", due_date=TODAY + dt.timedelta(30)
    )
    assert "sent 1" in run()
    [notice] = smtp.to("ann@example.org")
    assert "Write the guide" in smtp.text(notice)
    assert "Unsubscribe" not in smtp.text(notice)  # the first notice has no unsubscribe link
    page = link_in(smtp.text(notice))

    anonymous = Client()
    assert anonymous.get(page).status_code == 200
    response = anonymous.post(
        page,
        {"item": item.pk, f"item-{item.pk}-status": "in_progress", f"item-{item.pk}-note": "Draft shared"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert PlanEdit.objects.filter(item=item, kind=PlanEdit.Kind.OWNER_UPDATE, edited_by=None).exists()

    listing = client_for(lead).get(reverse("action_items")).content.decode()
    assert "Draft shared" in listing and "Updated by the owner by link" in listing
    plan = client_for(lead).get(reverse("actionplan_edit", args=[closed.pk])).content.decode()
    assert "Draft shared" in plan and "updated by the owner by link" in plan


def test_a_second_run_sends_nothing(smtp, closed):
    add_item(closed, owner_email="ann@example.org", due_date=TODAY + dt.timedelta(3))
    run()
    sent = len(smtp.messages)
    assert sent == 2  # the notice, then the reminder (due within 7 days)
    assert "sent 0" in run()
    assert len(smtp.messages) == sent


def test_owners_get_one_reminder_a_week_listing_all_their_open_actions(smtp, closed):
    add_item(
        closed, description="Overdue one", owner_email="ann@example.org", due_date=TODAY - dt.timedelta(2)
    )
    add_item(
        closed, description="Later one", owner_email="ann@example.org", due_date=TODAY + dt.timedelta(60)
    )
    add_item(closed, description="Done one", owner_email="ann@example.org", due_date=TODAY, status="done")
    add_item(closed, description="Not soon", owner_email="bob@example.org", due_date=TODAY + dt.timedelta(20))
    run()
    reminders = [m for m in smtp.messages if "open CASCADE actions" in m["Subject"]]
    [reminder] = reminders
    assert reminder["To"] == "ann@example.org" and reminder["Subject"].startswith("Overdue")
    text = smtp.text(reminder)
    assert "Overdue one" in text and "Later one" in text and "Done one" not in text
    assert "/mail/unsubscribe/" in text and reminder["List-Unsubscribe"]
    run(TODAY + dt.timedelta(1))  # same week
    assert len([m for m in smtp.messages if "open CASCADE actions" in m["Subject"]]) == 1
    run(TODAY + dt.timedelta(7))  # next week
    assert len([m for m in smtp.messages if "open CASCADE actions" in m["Subject"]]) == 2


def test_the_lead_gets_a_weekly_digest_of_overdue_and_updated_actions(smtp, closed, lead):
    lead.email = "lead@example.org"
    lead.save()
    add_item(
        closed, description="Late action", owner_email="ann@example.org", due_date=TODAY - dt.timedelta(1)
    )
    run()
    [digest] = smtp.to("lead@example.org")
    assert "Late action" in smtp.text(digest) and "/mail/unsubscribe/" in smtp.text(digest)
    run()
    assert len(smtp.to("lead@example.org")) == 1


def test_with_the_server_down_it_says_so_in_one_line_and_keeps_the_mail(smtp_down, closed):
    add_item(closed, owner_email="ann@example.org")
    with pytest.raises(CommandError) as raised:
        run()
    assert "unavailable" in str(raised.value) and "\n" not in str(raised.value)
    assert Outbox.objects.filter(sent_at__isnull=True).count() == 1
    assert not Outbox.objects.filter(sent_at__isnull=False).exists()


def test_unsubscribing_stops_the_reminders(smtp, closed):
    add_item(closed, owner_email="ann@example.org", due_date=TODAY)
    run()
    reminder = next(m for m in smtp.messages if "open CASCADE actions" in m["Subject"])
    url = re.search(r"https://cascade\.example\.org(/mail/unsubscribe/\S+/)", smtp.text(reminder)).group(1)
    anonymous = Client()
    assert "Stop getting" in anonymous.get(url).content.decode()
    assert anonymous.post(url).status_code == 200
    run(TODAY + dt.timedelta(7))
    assert len([m for m in smtp.messages if "open CASCADE actions" in m["Subject"]]) == 1


def test_a_forged_unsubscribe_link_is_refused():
    assert Client().post("/mail/unsubscribe/not-a-signed-value/").status_code == 404


def test_no_email_is_sent_inside_the_request(smtp, closed, facilitator, client_for):
    add_item(closed, owner_email="ann@example.org")
    response = client_for(facilitator).post(reverse("owners_notify", args=[closed.pk]))
    assert response.status_code == 302
    assert smtp.messages == [] and Outbox.objects.filter(kind="owner_notice").count() == 1


def test_owner_updates_are_append_only(closed):
    from workshops.append_only import AppendOnlyError

    item = add_item(closed, owner_email="ann@example.org")
    update = OwnerUpdate.objects.create(workshop=closed, item=item, status="done")
    with pytest.raises(AppendOnlyError):
        update.delete()
    with pytest.raises(AppendOnlyError):
        OwnerUpdate.objects.update(note="x")
    assert ActionItem.objects.count() == 1


def test_a_fresh_demo_has_owners_to_remind(smtp, reference_data):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    out = run(dt.date.today())
    assert "sent 0" not in out
    owners = {m["To"] for m in smtp.messages}
    assert all(to.endswith("@example.org") for to in owners) and "lead@example.org" in owners
    reminders = [m for m in smtp.messages if "open CASCADE actions" in m["Subject"]]
    assert any(m["Subject"].startswith("Overdue") for m in reminders)
