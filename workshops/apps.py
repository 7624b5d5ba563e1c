from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workshops"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
