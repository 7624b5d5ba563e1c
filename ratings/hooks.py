"""What higher apps add to the live pages, asked through their app configs.

Ratings never imports the apps above it (tests/test_import_direction.py): an app that has
something for the console, the projector or a phone (notes and dot-voting in actionplans)
answers `live_panels(workshop, role, participant=None)` on its AppConfig. Likewise an app
holding rows about a participant answers `participant_data()` (read by
ratings.participant_data.declarations, for erasure and the subject-access export).
"""

from __future__ import annotations

from django.apps import apps


def live_panels(workshop, role: str, **kwargs) -> list[dict]:
    """Each panel is a dict with the `template` to include and what it needs."""
    panels: list[dict] = []
    for app in apps.get_app_configs():
        hook = getattr(app, "live_panels", None)
        if hook:
            panels.extend(hook(workshop, role, **kwargs))
    return panels
