"""The CCG leads' table of action items across their areas, with its filters."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from workshops.models import Area, Domain, Framework

from .models import ItemStatus
from .rules import OPEN_STATUSES

STATE_CHOICES = [("open", "Open"), ("all", "Any status")] + list(ItemStatus.choices)


class ActionItemTable(tables.Table):
    due_date = tables.DateColumn(format="j M Y", verbose_name="Due", default="—")
    description = tables.Column(verbose_name="Action", attrs={"td": {"class": "text-pre"}})
    domain = tables.Column(accessor="domain__code", verbose_name="Domain", order_by=("domain__position",))
    owner_name = tables.Column(verbose_name="Owner", default="—")
    owner_organisation = tables.Column(verbose_name="Organisation", default="—")
    current_status = tables.Column(verbose_name="Status")
    current_note = tables.Column(verbose_name="Latest note", attrs={"td": {"class": "text-pre"}}, default="")
    area = tables.Column(accessor="workshop__area__name", verbose_name="Area")
    workshop = tables.Column(
        accessor="workshop__title", verbose_name="Workshop", order_by=("workshop__date",)
    )
    pdf = tables.Column(empty_values=(), orderable=False, verbose_name="Plan")

    class Meta:
        template_name = "actionplans/_action_item_table.html"  # plain cells, same as the render_ methods
        attrs = {"class": "table table-sm align-middle action-items"}
        row_attrs = {"class": lambda record: "table-danger" if record.is_overdue else ""}
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

    def render_due_date(self, value, record):
        if value is None:
            return "—"
        text = date_format(value, "j M Y")
        if record.is_overdue:
            return format_html('{} <span class="badge text-bg-danger">Overdue</span>', text)
        return text

    def render_current_status(self, value):
        return dict(ItemStatus.choices).get(value, value)

    def render_workshop(self, value, record):
        return format_html(
            '<a href="{}">{}</a>', reverse("actionplan_edit", args=[record.workshop_id]), value
        )

    def render_pdf(self, record):
        return format_html(
            '<a href="{}">PDF<span class="visually-hidden"> of the {} action plan</span></a>',
            reverse("actionplan_pdf", args=[record.workshop_id]),
            record.workshop.title,
        )


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
