"""The permission rule for workshops, shared by every app's views.

Anyone who may not see a workshop gets a 404, so nothing about it leaks.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from .models import Workshop


def get_workshop_for_user(
    request, pk: int, *, facilitate: bool = False, edit_details: bool = False
) -> Workshop:
    """The workshop if `request.user` may see it (or drive it, with facilitate=True; or edit its
    details, with edit_details=True: only in an area they are assigned to): one query."""
    if edit_details:
        allowed = Workshop.objects.editable_by(request.user)
    elif facilitate:
        allowed = Workshop.objects.facilitated_by(request.user)
    else:
        allowed = Workshop.objects.visible_to(request.user)
    return get_object_or_404(allowed.select_related("area", "programme", "framework"), pk=pk)
