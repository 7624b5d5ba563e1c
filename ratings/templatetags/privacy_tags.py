"""The retention period, for the join page's privacy note (from settings, so they agree)."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def retention_days() -> int:
    return settings.PARTICIPANT_RETENTION_DAYS
