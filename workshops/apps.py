from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workshops"

    def nav_items(self, user) -> list[tuple[str, str]]:
        """Menu entries for the area pages and programme reports."""
        from .report_views import nav_items

        return nav_items(user)
