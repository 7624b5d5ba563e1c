"""Two send_reminders runs at the same moment on PostgreSQL: every message queued and sent once."""

from __future__ import annotations

import datetime as dt
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from workshops import mail
from workshops.mail_models import Outbox
from workshops.models import Workshop

from .conftest import add_item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent runs); run with DATABASE_URL=postgres://…")


def together(call, n: int = 2) -> list[str]:
    barrier = threading.Barrier(n)
    errors: list[str] = []

    def run():
        barrier.wait()
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def test_two_runs_at_the_same_moment_send_each_message_once(smtp, workshop, monkeypatch):
    Workshop.objects.filter(pk=workshop.pk).update(status=Workshop.Status.CLOSED)
    for i in range(6):
        add_item(
            workshop,
            description=f"Action {i}",
            owner_email=f"owner{i}@example.org",
            due_date=dt.date(2026, 12, 1),
        )
    original = mail._message

    def slow_message(row, conn):
        time.sleep(0.05)  # both runs are mid-way through the outbox at once
        return original(row, conn)

    monkeypatch.setattr(mail, "_message", slow_message)
    errors = together(lambda: call_command("send_reminders", today="2026-12-04", stdout=StringIO()))
    assert errors == []
    assert Outbox.objects.count() == 12  # six notices, six reminders
    assert Outbox.objects.filter(sent_at__isnull=True).count() == 0
    assert len(smtp.messages) == 12
    assert len({(m["To"], m["Subject"]) for m in smtp.messages}) == 12  # none twice
