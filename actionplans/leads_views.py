"""The CCG leads' "Action items" page: open items across their areas, and its CSV export."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from workshops.models import Workshop
from workshops.roles import is_ccg_lead
from workshops.tables import LIST_PAGE_SIZE, BoundedRequestConfig, pk_url, short_date

from .models import ItemStatus
from .queries import lead_items
from .rules import csv_cell
from .tables import ITEM_ROW_FIELDS, ActionItemFilter, ActionItemTable

RECENT_WORKSHOPS = 20
PLAN_URLS = ("actionplan_edit", "actionplan_pdf", "actionplan_preview")
CSV_COLUMNS = [
    "Area",
    "Workshop",
    "Workshop date",
    "Domain",
    "Action",
    "Owner",
    "Organisation",
    "Due",
    "Status",
    "Overdue",
    "Latest note",
    "Updated by the owner by link",
]


def _get_items_for_user(request):
    """Items of the areas this CCG lead leads (admins: all); 404 for anyone else."""
    user = request.user
    if not (user.is_superuser or is_ccg_lead(user)):
        raise Http404("This page is for CCG leads.")
    data = request.GET.copy()
    data.setdefault("state", "open")
    return ActionItemFilter(data, queryset=lead_items(user, timezone.localdate()), user=user)


@login_required
@require_GET
def action_items(request):
    item_filter = _get_items_for_user(request)
    items = item_filter.qs if item_filter.is_valid() else item_filter.queryset.none()
    table = ActionItemTable(items.values(*ITEM_ROW_FIELDS))
    BoundedRequestConfig(request, paginate={"per_page": LIST_PAGE_SIZE}).configure(table)
    workshops = (
        Workshop.objects.select_related("area")
        .only("title", "date", "status", "area__name")
        .order_by("-date", "area__name")
    )
    if not request.user.is_superuser:
        workshops = workshops.filter(area__leads=request.user)
    recent = list(workshops[: RECENT_WORKSHOPS + 1])  # the page stays one size however many there are
    statuses = dict(Workshop.Status.choices)
    plan_url, pdf_url, preview_url = (pk_url(name) for name in PLAN_URLS)
    plans = [  # each made with one format_html: a template variable a workshop
        format_html(
            '<li>{}: <a href="{}">{}</a> ({}, {}) · <a href="{}" download>PDF<span class="visually-hidden">'
            ' of {}</span></a> · <a href="{}">preview<span class="visually-hidden"> of {}</span></a></li>',
            w.area.name,
            plan_url(w.pk),
            w.title,
            short_date(w.date),
            statuses.get(w.status, w.status).lower(),
            pdf_url(w.pk),
            w.title,
            preview_url(w.pk),
            w.title,
        )
        for w in recent[:RECENT_WORKSHOPS]
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(
        request,
        "actionplans/action_items.html",
        {
            "filter": item_filter,
            "table": table,
            "plans": plans,
            "more_workshops": len(recent) > RECENT_WORKSHOPS,
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def action_items_csv(request):
    item_filter = _get_items_for_user(request)
    if not item_filter.is_valid():
        return HttpResponse(
            "Invalid filter: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in item_filter.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    labels = dict(ItemStatus.choices)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="action-items-{timezone.localdate().isoformat()}.csv"'
    )
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8 (Welsh names, accents)
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for item in item_filter.qs:
        writer.writerow(
            csv_cell(value)
            for value in (
                item.workshop.area.name,
                item.workshop.title,
                item.workshop.date.isoformat(),
                item.domain.code,
                item.description,
                item.owner_name,
                item.owner_organisation,
                item.due_date.isoformat() if item.due_date else "",
                labels.get(item.current_status, item.current_status),
                "yes" if item.is_overdue else "",
                item.current_note,
                timezone.localtime(item.owner_at).date().isoformat() if item.updated_by_owner else "",
            )
        )
    return response
