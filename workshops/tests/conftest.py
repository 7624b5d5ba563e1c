"""Fixtures for the workshops app's tests."""

from tests.smtp import smtp, smtp_down  # noqa: F401  (a real SMTP server: outbox tests)
