from __future__ import annotations

from django.apps import AppConfig
from django.conf import settings
from django.core.signals import request_started


class WorkshopsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workshops"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)

        engines = {database["ENGINE"] for database in settings.DATABASES.values()}
        if "django.db.backends.postgresql" in engines:
            from . import db_deadline

            db_deadline.install(
                getattr(settings, "DATABASE_CONNECT_TIMEOUT", 5),
                getattr(settings, "DATABASE_STATEMENT_TIMEOUT", 5),
            )
            request_started.connect(db_deadline.new_request, dispatch_uid="db_deadline.new_request")
