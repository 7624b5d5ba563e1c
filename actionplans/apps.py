from __future__ import annotations

from django.apps import AppConfig


class ActionplansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "actionplans"
    verbose_name = "Action plans"

    def nav_items(self, user) -> list[tuple[str, str]]:
        """CCG leads (and admins) get the "Action items" page across their areas."""
        from django.urls import reverse

        from workshops.roles import is_ccg_lead

        if user.is_authenticated and (user.is_superuser or is_ccg_lead(user)):
            return [("Action items", reverse("action_items"))]
        return []
