"""The CCG leads' table of action items across their areas, with its filters."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from workshops.models import Area, Domain, Framework
from workshops.tables import pk_url, short_date

from .models import ItemStatus
from .rules import OPEN_STATUSES

# What the table shows of each item: its records are these values, not model instances (building
# an item, its workshop, area and domain was most of a row's cost).
ITEM_ROW_FIELDS = (
    "workshop_id",
    "description",
    "owner_name",
    "owner_organisation",
    "due_date",
    "domain__code",
    "workshop__title",
    "workshop__area__name",
    "current_status",
    "current_note",
    "is_overdue",
    "updated_by_owner",
    "owner_at",
)
STATE_CHOICES = [("open", "Open"), ("all", "Any status")] + list(ItemStatus.choices)


class ActionItemTable(tables.Table):
    """Headers, sorting and pagination; the rows are page_rows() over ITEM_ROW_FIELDS values."""

    due_date = tables.Column(verbose_name="Due")
    description = tables.Column(verbose_name="Action")
    domain = tables.Column(accessor="domain__code", verbose_name="Domain", order_by=("domain__position",))
    owner_name = tables.Column(verbose_name="Owner")
    owner_organisation = tables.Column(verbose_name="Organisation")
    current_status = tables.Column(verbose_name="Status")
    current_note = tables.Column(verbose_name="Latest note")
    area = tables.Column(accessor="workshop__area__name", verbose_name="Area")
    workshop = tables.Column(
        accessor="workshop__title", verbose_name="Workshop", order_by=("workshop__date",)
    )
    pdf = tables.Column(empty_values=(), orderable=False, verbose_name="Plan")

    class Meta:
        template_name = "workshops/_page_rows_table.html"  # the rows are page_rows()
        attrs = {"class": "table table-sm align-middle action-items"}
        empty_text = "No action items match."
        sequence = (
            "due_date",
            "description",
            "domain",
            "owner_name",
            "owner_organisation",
            "current_status",
            "current_note",
            "area",
            "workshop",
            "pdf",
        )

    def page_rows(self) -> list[str]:
        """The current page's rows as HTML, each made with one format_html (as the admin's
        change list does), for a template loop with one variable a row: django-tables2's
        per-cell rendering, or a tag or variable in every cell, made a full page several times
        slower than a short one (bench/pages.py). Overdue rows are marked in red and say so."""
        labels = dict(ItemStatus.choices)
        plan_url, pdf_url = pk_url("actionplan_edit"), pk_url("actionplan_pdf")
        rows = []
        for item in (row.record for row in self.paginated_rows):
            due = short_date(item["due_date"]) if item["due_date"] else "—"
            if item["is_overdue"]:
                due = format_html('{} <span class="badge text-bg-danger">Overdue</span>', due)
            note = item["current_note"]
            if item["updated_by_owner"]:
                note = format_html(
                    '{}<br><span class="small text-body-secondary">Updated by the owner by link, {}</span>',
                    note,
                    short_date(timezone.localtime(item["owner_at"])),
                )
            rows.append(
                format_html(
                    '<tr{}><td>{}</td><td class="text-pre">{}</td><td>{}</td><td>{}</td><td>{}</td>'
                    '<td>{}</td><td class="text-pre">{}</td><td>{}</td><td><a href="{}">{}</a></td><td>'
                    '<a href="{}">PDF<span class="visually-hidden"> of the {} action plan</span></a>'
                    "</td></tr>",
                    mark_safe(' class="table-danger"') if item["is_overdue"] else "",
                    due,
                    item["description"],
                    item["domain__code"],
                    item["owner_name"] or "—",
                    item["owner_organisation"] or "—",
                    labels.get(item["current_status"], item["current_status"]),
                    note,
                    item["workshop__area__name"],
                    plan_url(item["workshop_id"]),
                    item["workshop__title"],
                    pdf_url(item["workshop_id"]),
                    item["workshop__title"],
                )
            )
        return rows


class ActionItemFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label="Status", choices=STATE_CHOICES, method="filter_state", empty_label=None
    )
    area = django_filters.ModelChoiceFilter(  # links and the CSV export name an area by id
        field_name="workshop__area", label="Area", queryset=Area.objects.none(), empty_label="All areas"
    )
    area_name = django_filters.CharFilter(  # the form's search box: no list of every area
        field_name="workshop__area__name", lookup_expr="icontains", label="Area name contains", max_length=100
    )
    domain = django_filters.ChoiceFilter(
        field_name="domain__code", label="Domain", choices=(), empty_label="All domains"
    )
    owner = django_filters.CharFilter(label="Owner or organisation contains", method="filter_owner")
    overdue = django_filters.BooleanFilter(
        label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        areas = (
            Area.objects.all() if user is not None and user.is_superuser else Area.objects.filter(leads=user)
        )
        self.filters["area"].queryset = areas.order_by("name")
        framework = Framework.get_default()
        codes = Domain.objects.filter(framework=framework).values_list("code", "short_title")
        self.filters["domain"].extra["choices"] = [(code, f"{code} {title}") for code, title in codes]

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(current_status__in=OPEN_STATUSES)
        if value in dict(ItemStatus.choices):
            return queryset.filter(current_status=value)
        return queryset

    def filter_owner(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(owner_name__icontains=value) | Q(owner_organisation__icontains=value))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=True) if value else queryset
