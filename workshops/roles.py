"""Who is who: role checks in one place so views and menus agree."""

from __future__ import annotations

from .models import CCG_LEADS_GROUP, FACILITATORS_GROUP


def _in_group(user, name: str) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._group_names = cache
    return name in cache


def is_facilitator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or _in_group(user, FACILITATORS_GROUP))


def is_ccg_lead(user) -> bool:
    return _in_group(user, CCG_LEADS_GROUP)
