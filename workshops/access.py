"""The permission rule for workshops, shared by every app's views.

Anyone who may not see a workshop gets a 404, so nothing about it leaks.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Workshop


def get_workshop_for_user(request, pk: int, *, facilitate: bool = False, queryset=None) -> Workshop:
    """The workshop if `request.user` may see it (or drive it, with facilitate=True)."""
    qs = queryset if queryset is not None else Workshop.objects.all()
    if facilitate:
        allowed = Workshop.objects.facilitated_by(request.user)
    else:
        allowed = Workshop.objects.visible_to(request.user)
    workshop = get_object_or_404(qs.select_related("area", "programme", "framework"), pk=pk)
    if not request.user.is_superuser and not allowed.filter(pk=workshop.pk).exists():
        raise Http404("No workshop found.")
    return workshop
