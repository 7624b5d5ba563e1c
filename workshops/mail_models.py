"""The outbox: every email is a row first and sent later by `send_reminders`, never inside a
web request, so a slow or absent mail server cannot slow a page or lose a message."""

from __future__ import annotations

from django.db import models


class Outbox(models.Model):
    """One email to one address. `key` names what it is (e.g. an owner's reminder for a week),
    and is unique, so the same reminder is queued once however many runs decide it is due."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    # The bodies carry personal links (tokens are only stored hashed elsewhere), so they are
    # blanked once the message is sent.
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A run claims a row by setting claimed_until in a conditional UPDATE; a second run (on
    # this server or another) skips claimed rows, so each message is sent once.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "outbox"
        ordering = ["pk"]
        indexes = [models.Index(fields=["sent_at", "claimed_until"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email}"


class MailOptOut(models.Model):
    """An address that unsubscribed from one kind of reminder or digest; stored as a hash, so
    the list of who opted out is not a list of addresses."""

    email_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email_hash", "kind"], name="mailoptout_once")]

    def __str__(self) -> str:
        return f"opt-out from {self.kind}"
