"""Which areas a user reaches: assigned areas for creating workshops, and area pages."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class AreaQuerySet(models.QuerySet):
    def assigned_to(self, user) -> AreaQuerySet:
        """Areas a facilitator may create workshops in (admins: all)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(facilitators=user)

    def visible_to(self, user) -> AreaQuerySet:
        """Area pages: admins all; CCG leads their areas; facilitators the areas they are assigned
        to and the areas of workshops they facilitate."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        from .models import Workshop  # the models module imports this one

        area = self.model
        return self.filter(
            Q(pk__in=area.leads.through.objects.filter(user_id=user.pk).values("area_id"))
            | Q(pk__in=area.facilitators.through.objects.filter(user_id=user.pk).values("area_id"))
            | Q(pk__in=Workshop.objects.filter(facilitators=user).values("area_id"))
        )
