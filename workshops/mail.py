"""Mail through an outbox table: pages and commands queue messages (`outbox_add`), and
`send_reminders` delivers them (`outbox_deliver`) with Django's own mail backends.

Why a table and not a queue library: the app already has a database every server shares, the
volume is a few hundred messages a week, and Django's SMTP backend does the sending; a table
with a unique key and a claim column gives exactly-once delivery across concurrent runs (see
`Outbox`) without a new dependency or worker process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .mail_models import MailOptOut, Outbox

CLAIM_SECONDS = 300  # a run that dies mid-send frees its rows for a later run after this
MAX_ATTEMPTS = 10  # an address the server keeps refusing stays unsent, its error in the admin
SUBJECT_MAX = 200
UNSUBSCRIBE_SALT = "cascade.mail.unsubscribe"
DEFAULT_BASE = "http://127.0.0.1:8000"


# --- tokens and links ------------------------------------------------------------------


def new_token() -> tuple[str, str]:
    """A random token for a personal link and the hash stored instead of it."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def public_base() -> str:
    """Links in emails: PUBLIC_URL, or the development address when it is not set."""
    return (getattr(settings, "PUBLIC_URL", "") or DEFAULT_BASE).rstrip("/")


def public_url(path: str) -> str:
    return public_base() + path


def unsubscribe_url(email: str, kind: str) -> str:
    token = signing.dumps([email_hash(email), kind], salt=UNSUBSCRIBE_SALT, compress=True)
    return public_url(reverse("mail_unsubscribe", args=[token]))


def unsubscribe_read(token: str) -> tuple[str, str] | None:
    """(email hash, kind) from an unsubscribe link, or None when it was not made here."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        return None
    return value[0], value[1]


def opt_out(hashed: str, kind: str) -> None:
    MailOptOut.objects.get_or_create(email_hash=hashed, kind=kind[:40])


def opted_out(email: str, kind: str) -> bool:
    return MailOptOut.objects.filter(email_hash=email_hash(email), kind=kind).exists()


# --- queueing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    name: str
    mimetype: str
    content: str


def mail_render(template: str, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) from mail/<template>_subject.txt, .txt and .html."""
    subject = " ".join(render_to_string(f"mail/{template}_subject.txt", context).split())
    text = render_to_string(f"mail/{template}.txt", context)
    html = render_to_string(f"mail/{template}.html", context)
    return subject[:SUBJECT_MAX], text, html


def outbox_add(
    *,
    key: str,
    kind: str,
    to: str,
    template: str,
    context: dict,
    unsubscribe: bool = False,
    attachment: Attachment | None = None,
) -> bool:
    """Queue one message unless one with this key was queued before; True when queued now.

    With `unsubscribe`, the message links to a one-click opt-out from this kind (and says so
    in List-Unsubscribe); an address that opted out of the kind gets nothing.
    """
    if unsubscribe and opted_out(to, kind):
        return False
    if Outbox.objects.filter(key=key).exists():
        return False
    context = dict(context, unsubscribe_url=unsubscribe_url(to, kind) if unsubscribe else "")
    subject, text, html = mail_render(template, context)
    headers = {"List-Unsubscribe": f"<{context['unsubscribe_url']}>"} if unsubscribe else {}
    try:
        with transaction.atomic():
            Outbox.objects.create(
                key=key[:200],
                kind=kind,
                to_email=to,
                subject=subject,
                body_text=text,
                body_html=html,
                headers=headers,
                attachment_name=attachment.name if attachment else "",
                attachment_type=attachment.mimetype if attachment else "",
                attachment=attachment.content if attachment else "",
            )
    except IntegrityError:
        return False  # another run queued it a moment ago
    return True


# --- delivery ----------------------------------------------------------------------------


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0  # refused by the server for this address; tried again next run
    error: str = ""  # the one line saying why nothing more could be sent


def _message(row: Outbox, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        row.subject,
        row.body_text,
        settings.DEFAULT_FROM_EMAIL,
        [row.to_email],
        headers=row.headers or None,
        connection=connection,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    if row.attachment_name:
        message.attach(row.attachment_name, row.attachment, row.attachment_type)
    return message


def _claim(pk: int, now: dt.datetime) -> bool:
    """Take one pending row for this run; False when another run has it or it was sent."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(
        Outbox.objects.filter(free, pk=pk, sent_at__isnull=True).update(
            claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1
        )
    )


def _release(pk: int, error: str) -> None:
    Outbox.objects.filter(pk=pk, sent_at__isnull=True).update(claimed_until=None, last_error=error[:300])


def outbox_deliver(*, limit: int = 1000) -> Delivery:
    """Send pending messages once each, whoever else is sending at the same moment.

    A mail server that cannot be reached stops the run with one line in `error` and leaves
    every unsent row pending (claim released), so the next run delivers it.
    """
    result = Delivery()
    pending = list(
        Outbox.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not pending:
        return result
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        result.error = _server_down(exc)
        return result
    try:
        for pk in pending:
            if not _claim(pk, timezone.now()):
                continue
            row = Outbox.objects.get(pk=pk)
            try:
                _message(row, connection).send()
            except smtplib.SMTPRecipientsRefused as exc:
                _release(pk, f"refused: {exc}")
                result.failed += 1
                continue
            except (OSError, smtplib.SMTPException) as exc:
                _release(pk, str(exc))
                result.error = _server_down(exc)
                break
            Outbox.objects.filter(pk=pk).update(
                sent_at=timezone.now(),
                claimed_until=None,
                body_text="",
                body_html="",
                attachment="",
                last_error="",
            )
            result.sent += 1
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass
    return result


def _server_down(exc: Exception) -> str:
    host = getattr(settings, "EMAIL_HOST", "")
    port = getattr(settings, "EMAIL_PORT", "")
    return (
        f"Mail server {host}:{port} unavailable ({type(exc).__name__}: {exc}); "
        "unsent mail kept for the next run."
    )
