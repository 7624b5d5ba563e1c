from __future__ import annotations

from django.urls import reverse

from .roles import is_ccg_lead, is_facilitator


def navigation(request) -> dict:
    """The menu for this user, decided here so templates never check permissions."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("Workshops", reverse("home"))]
    if is_facilitator(user):
        items.append(("New workshop", reverse("workshop_create")))
    items.append(("Framework", reverse("framework_list")))
    for extra in _extra_items(user):
        items.append(extra)
    if user.is_staff:
        items.append(("Admin", reverse("admin:index")))
    return {
        "nav_items": items,
        "user_is_facilitator": is_facilitator(user),
        "user_is_lead": is_ccg_lead(user),
    }


def _extra_items(user) -> list[tuple[str, str]]:
    """Menu entries other apps contribute (action items, reports)."""
    from django.apps import apps

    items: list[tuple[str, str]] = []
    hooked = [app for app in apps.get_app_configs() if getattr(app, "nav_items", None)]
    for app in sorted(hooked, key=lambda app: getattr(app, "nav_order", 100)):
        items.extend(app.nav_items(user))
    return items
