from __future__ import annotations

import copy

import django_filters
import django_tables2 as tables
from django_tables2 import RequestConfig

from .models import Programme, Workshop

MAX_PER_PAGE = 100


class BoundedRequestConfig(RequestConfig):
    """RequestConfig that keeps a visitor's ?per_page= between 1 and MAX_PER_PAGE.

    django-tables2 takes any integer: a negative one raised EmptyPage (a 500) and a huge one
    rendered every row at once. A value outside the range falls back to the default size.
    """

    def configure(self, table):
        name = table.prefixed_per_page_field
        raw = self.request.GET.get(name)
        if raw is None or (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_PER_PAGE):
            return super().configure(table)
        original = self.request
        bounded = copy.copy(original)
        bounded.GET = original.GET.copy()
        bounded.GET.pop(name)
        self.request = bounded
        try:
            return super().configure(table)
        finally:
            self.request = table.request = original


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
        template_name = "workshops/_workshop_table.html"  # plain cells, same columns
        attrs = {"class": "table table-striped align-middle"}
        empty_text = "No workshops yet."


class WorkshopFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title contains")
    # A search box, not a list of every area: the page stays the same size with 500 areas.
    area = django_filters.CharFilter(
        field_name="area__name", lookup_expr="icontains", label="Area name contains", max_length=100
    )
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.none())
    status = django_filters.ChoiceFilter(choices=Workshop.Status.choices)

    class Meta:
        model = Workshop
        fields = ["title", "area", "programme", "phase", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only offer programmes this user can see workshops of (names leak otherwise).
        visible = Workshop.objects.visible_to(user) if user else Workshop.objects.none()
        self.filters["programme"].queryset = Programme.objects.filter(workshops__in=visible).distinct()
