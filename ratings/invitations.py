"""Invitations to rate before the workshop (placeholder until the invitation models land)."""

from __future__ import annotations


def invite_reminders_queue(now) -> int:
    return 0
