from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable

import django_filters
import django_tables2 as tables
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django_tables2 import RequestConfig

from .models import Programme, Workshop

MAX_PER_PAGE = 100
# Rows a page of every list shows (workshops, areas, action items): a screen or two to scan,
# and few enough that a full page costs little more than a short one (bench/pages.py).
LIST_PAGE_SIZE = 25


def short_date(day: dt.date) -> str:
    """The date as the |date:"j M Y" filter writes it ("1 Dec 2026"), without its per-call cost
    (Django's date formatting took as long as the rest of a list row)."""
    return f"{day.day} {MONTHS_3[day.month].title()} {day.year}"


def pk_url(name: str) -> Callable[[int], str]:
    """reverse(name, args=[pk]) for a page of pks: the URL is reversed once and each pk put in
    by string formatting (reverse() took as long as the rest of a list row)."""
    sentinel = "8642097531"
    pattern = reverse(name, args=[int(sentinel)]).replace("{", "{{").replace("}", "}}")
    return pattern.replace(sentinel, "{}", 1).format


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
    title = tables.Column()  # a link to the workshop (page_rows)
    area = tables.Column(accessor="area__name", verbose_name="Area")
    programme = tables.Column(accessor="programme__name", verbose_name="Programme", default="—")
    phase = tables.Column()
    date = tables.DateColumn(format="j M Y")
    status = tables.Column()

    class Meta:
        model = Workshop
        fields = ["title", "area", "programme", "phase", "date", "status"]
        order_by = "-date"
        template_name = "workshops/_page_rows_table.html"  # the rows are page_rows()
        attrs = {"class": "table table-striped align-middle"}
        empty_text = "No workshops yet."

    def page_rows(self) -> list[str]:
        """The current page's rows as HTML, each made with one format_html (as the admin's
        change list does), for a template loop with one variable a row.

        django-tables2's per-cell rendering, or a tag, filter or variable in every cell, made a
        full page of 25 rows a third slower again than a page of 10 (bench/pages.py).
        """
        statuses = dict(Workshop.Status.choices)
        detail_url = pk_url("workshop_detail")
        return [
            format_html(
                '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
                "<td>{}</td></tr>",
                detail_url(w["pk"]),
                w["title"],
                w["area__name"],
                w["programme__name"] or "—",
                w["phase"],
                short_date(w["date"]),
                statuses.get(w["status"], w["status"]),
            )
            for w in (row.record for row in self.paginated_rows)
        ]


# What the home table shows of each workshop: its records are these values, not model instances
# (building three models a row, workshop, area and programme, was most of a row's cost).
WORKSHOP_ROW_FIELDS = ("pk", "title", "area__name", "programme__name", "phase", "date", "status")


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
        self.filters["programme"].queryset = Programme.objects.filter(
            Exists(visible.filter(programme=OuterRef("pk")))  # stops at a programme's first workshop
        )
