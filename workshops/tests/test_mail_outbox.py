"""The outbox: queued once per key, delivered once over SMTP, kept when the server is down."""

from __future__ import annotations

import pytest

from workshops.mail import email_hash, hash_token, new_token, opt_out, outbox_add, outbox_deliver
from workshops.mail_models import Outbox

pytestmark = pytest.mark.django_db


def queue(key: str = "k1", to: str = "owner@example.org", **kwargs) -> bool:
    return outbox_add(
        key=key,
        kind=kwargs.pop("kind", "owner_notice"),
        to=to,
        template="owner_notice",
        context={"workshop": None, "items": [], "url": "https://x.example/a/tok/", "name": "Ann & Co"},
        **kwargs,
    )


def test_it_queues_a_key_once():
    assert queue() is True
    assert queue() is False
    assert Outbox.objects.count() == 1


def test_it_delivers_text_and_html_over_smtp_with_the_senders_name(smtp):
    queue()
    result = outbox_deliver()
    assert (result.sent, result.error) == (1, "")
    [message] = smtp.to("owner@example.org")
    assert message["From"] == "CASCADE Workshops <cascade@example.org>"
    assert "Ann & Co" in smtp.text(message)  # the text part is not HTML-escaped
    assert "Ann &amp; Co" in smtp.html(message)
    assert "https://x.example/a/tok/" in smtp.text(message)


def test_a_second_run_sends_nothing(smtp):
    queue()
    outbox_deliver()
    assert outbox_deliver().sent == 0
    assert len(smtp.messages) == 1


def test_a_sent_message_keeps_no_link(smtp):
    queue()
    outbox_deliver()
    row = Outbox.objects.get()
    assert row.sent_at is not None
    assert (row.body_text, row.body_html) == ("", "")


def test_with_the_server_down_nothing_is_marked_sent_and_a_later_run_delivers_once(smtp_down, settings):
    queue()
    result = outbox_deliver()
    assert result.sent == 0
    assert "unavailable" in result.error and "\n" not in result.error
    row = Outbox.objects.get()
    assert row.sent_at is None and row.claimed_until is None and row.body_text

    from aiosmtpd.controller import Controller

    from tests.smtp import Inbox

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        assert outbox_deliver().sent == 1
        assert outbox_deliver().sent == 0
    finally:
        controller.stop()
    assert len(inbox.messages) == 1


def test_a_claimed_message_is_not_sent_by_another_run(smtp):
    from django.utils import timezone

    from workshops.mail import _claim

    queue()
    row = Outbox.objects.get()
    assert _claim(row.pk, timezone.now()) is True
    assert _claim(row.pk, timezone.now()) is False
    assert outbox_deliver().sent == 0


def test_an_unsubscribed_address_gets_no_reminder():
    opt_out(email_hash("Owner@Example.org"), "owner_reminder")
    assert queue(kind="owner_reminder", unsubscribe=True) is False
    assert queue(kind="lead_digest", unsubscribe=True) is True


def test_reminders_carry_an_unsubscribe_link_and_header():
    queue(kind="owner_reminder", unsubscribe=True)
    row = Outbox.objects.get()
    assert row.headers["List-Unsubscribe"].startswith("<http")


def test_tokens_are_stored_as_hashes():
    raw, hashed = new_token()
    assert hashed == hash_token(raw) and raw not in hashed and len(raw) >= 40


def test_an_address_the_server_keeps_refusing_is_given_up_after_ten_tries(smtp):
    queue(to="refused@example.org")
    Outbox.objects.update(attempts=10, last_error="refused: 550")
    assert outbox_deliver().sent == 0 and smtp.messages == []
    assert Outbox.objects.get().sent_at is None


def test_a_refused_address_is_kept_and_the_rest_is_sent(smtp):
    async def refuse(server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp.handle_RCPT = refuse
    queue(key="a", to="refused@example.org")
    queue(key="b", to="fine@example.org")
    result = outbox_deliver()
    assert (result.sent, result.failed, result.error) == (1, 1, "")
    refused = Outbox.objects.get(key="a")
    assert refused.sent_at is None and refused.last_error.startswith("refused") and refused.attempts == 1
