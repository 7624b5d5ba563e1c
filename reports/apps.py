from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    nav_order = 10  # Areas and Reports come first, before Join and Action items

    def nav_items(self, user) -> list[tuple[str, str]]:
        """Menu entries for the area pages and programme reports."""
        from .views import nav_items

        return nav_items(user)
