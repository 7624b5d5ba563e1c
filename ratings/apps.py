from __future__ import annotations

from django.apps import AppConfig
from django.urls import reverse


class RatingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ratings"
    nav_order = 20

    def nav_items(self, user) -> list[tuple[str, str]]:
        """The phone join page, for facilitators to try a ballot (group names are cached)."""
        from workshops.roles import is_facilitator

        if not is_facilitator(user):
            return []
        return [("Join as participant", reverse("ratings_join"))]

    def workshop_admin_actions(self) -> list:
        """Admin actions on workshops that act on this app's data (hook: see workshops.admin)."""
        from .admin import anonymise_workshop_participants

        return [anonymise_workshop_participants]
