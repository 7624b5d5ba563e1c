from __future__ import annotations

import django_filters
import django_tables2 as tables

from .models import Area, Programme, Workshop


class WorkshopTable(tables.Table):
    title = tables.Column(linkify=True)
    area = tables.Column(accessor="area__name", verbose_name="Area")
    programme = tables.Column(accessor="programme__name", verbose_name="Programme", default="—")
    phase = tables.Column()
    date = tables.DateColumn(format="j M Y")
    status = tables.Column()

    class Meta:
        model = Workshop
        fields = ["title", "area", "programme", "phase", "date", "status"]
        order_by = "-date"
        attrs = {"class": "table table-striped align-middle"}
        empty_text = "No workshops yet."


class WorkshopFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title contains")
    area = django_filters.ModelChoiceFilter(queryset=Area.objects.none())
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.all())
    status = django_filters.ChoiceFilter(choices=Workshop.Status.choices)

    class Meta:
        model = Workshop
        fields = ["title", "area", "programme", "phase", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only offer areas this user can see workshops of.
        self.filters["area"].queryset = (
            Area.objects.filter(workshops__in=Workshop.objects.visible_to(user)).distinct()
            if user
            else Area.objects.none()
        )
