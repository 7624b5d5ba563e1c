from __future__ import annotations

from django.apps import AppConfig
from django.urls import reverse


class RatingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ratings"

    def nav_items(self, user) -> list[tuple[str, str]]:
        """The phone join page, handy for trying a ballot; costs no query on every page."""
        if not user.is_authenticated:
            return []
        return [("Join as participant", reverse("ratings_join"))]
