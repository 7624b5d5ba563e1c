"""Area pages, the programme report (page, CSV, PDF, JSON) and the ratings import page.

Who sees what:
- an area page: the area's CCG leads, its assigned facilitators, facilitators of any of its
  workshops, and admins;
- a programme report: admins, and staff users listed as leads of that programme;
- import and export of ratings: admins.
Anyone else gets 404, so nothing about an area or programme leaks.
"""

from __future__ import annotations

import csv
import io
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from workshops.models import Area, Framework, Programme, Workshop
from workshops.pdf import render_pdf
from workshops.roles import is_ccg_lead, is_facilitator
from workshops.tables import LIST_PAGE_SIZE, pk_url, short_date

from .data import area_benchmarks, area_sections, domain_means_chart, load_programme_report
from .exporter import ratings_export
from .importer import ratings_import
from .parsing import MAX_FILE_BYTES, RatingsImportError
from .programmes import look_alike, look_alike_message
from .rules import report_csv_rows
from .tables import AreaTable, domain_table_class

# --- Who may see what ----------------------------------------------------------------------------


def areas_visible_to(user) -> QuerySet[Area]:
    """Leads their areas; facilitators the areas they are assigned to or facilitate in; admins all."""
    return Area.objects.visible_to(user)


def programmes_visible_to(user) -> QuerySet[Programme]:
    """Admins see every programme's report; staff users those they lead."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    if user.is_staff:
        return Programme.objects.filter(leads=user)
    return Programme.objects.none()


def _get_area_for_user(request, pk: int) -> Area:
    return get_object_or_404(areas_visible_to(request.user), pk=pk)


def _get_programme_for_user(request, pk: int) -> Programme:
    return get_object_or_404(programmes_visible_to(request.user), pk=pk)


def _require_admin(request) -> None:
    if not request.user.is_superuser:
        raise Http404("Only admins import and export ratings.")


def nav_items(user) -> list[tuple[str, str]]:
    """'Areas' for anyone who may have areas to see; 'Reports' for admins and programme leads."""
    if not user.is_authenticated:
        return []
    items = []
    if user.is_superuser or is_facilitator(user) or is_ccg_lead(user):
        items.append(("Areas", reverse("area_list")))
    if user.is_superuser or (user.is_staff and user.led_programmes.exists()):
        items.append(("Reports", reverse("report_list")))
    return items


# --- Area pages ------------------------------------------------------------------------------------


@login_required
@require_GET
def area_list(request):
    areas = areas_visible_to(request.user).only("pk", "code", "name", "region").order_by("name", "code")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        areas = areas.filter(Q(name__icontains=query) | Q(code__icontains=query))
    # A page of areas, so the list costs the same with 10 areas or 500 (a search finds the rest);
    # the workshops are counted for this page's areas only, not for every area before paging.
    page = Paginator(areas, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    stats = {
        row["area"]: (row["n"], row["last"])
        for row in Workshop.objects.filter(area__in=[area.pk for area in page.object_list])
        .order_by()
        .values("area")
        .annotate(n=Count("pk"), last=Max("date"))
    }
    detail_url = pk_url("area_detail")
    rows = []  # each made with one format_html: a template variable a row, not one a cell
    for area in page.object_list:
        n_workshops, last_date = stats.get(area.pk, (0, None))
        rows.append(
            format_html(
                '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td>'
                '<td class="num">{}</td><td>{}</td></tr>',
                detail_url(area.pk),
                area.name,
                area.code,
                area.region or "—",
                n_workshops,
                short_date(last_date) if last_date else "—",
            )
        )
    return render(request, "reports/area_list.html", {"rows": rows, "page": page, "query": query})


@login_required
@require_GET
def area_detail(request, pk: int):
    area = _get_area_for_user(request, pk)
    return render(
        request,
        "reports/area_detail.html",
        {
            "area": area,
            "sections": area_sections(area, request.user),
            "benchmarks": area_benchmarks(area, request.user),
            "facilitators": area.facilitators.order_by("first_name", "last_name", "username"),
        },
    )


# --- Programme report ----------------------------------------------------------------------------


class PhaseForm(forms.Form):
    from_phase = forms.IntegerField(min_value=1, max_value=32767, initial=1, label="From phase")
    to_phase = forms.IntegerField(min_value=1, max_value=32767, initial=2, label="To phase")

    def clean(self):
        data = super().clean()
        if data.get("from_phase") and data.get("from_phase") == data.get("to_phase"):
            self.add_error("to_phase", "Choose a phase other than the one you compare it with.")
        return data


def _phases(request) -> tuple[PhaseForm, tuple[int, int] | None]:
    """The two phases to compare: 1 and 2 unless the query string says otherwise."""
    if "from_phase" in request.GET or "to_phase" in request.GET:
        form = PhaseForm(request.GET)
        if form.is_valid():
            return form, (form.cleaned_data["from_phase"], form.cleaned_data["to_phase"])
        return form, None
    return PhaseForm(initial={"from_phase": 1, "to_phase": 2}), (1, 2)


def _phases_or_400(request) -> tuple[int, int] | HttpResponse:
    form, phases = _phases(request)
    if phases is None:
        problems = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
        return HttpResponseBadRequest(f"Bad phases: {problems}", content_type="text/plain")
    return phases


def _max_total(report: dict) -> int:
    domains = report["domains"]
    return (len(domains[0]["from"]["distribution"]) - 1) * len(domains) if domains else 0


def _filename(programme: Programme, phases: tuple[int, int], ext: str) -> str:
    stem = slugify(programme.name) or "programme"
    return f"{stem}-phase-{phases[0]}-to-{phases[1]}.{ext}"


@login_required
@require_GET
def report_list(request):
    programmes = (
        programmes_visible_to(request.user)
        .annotate(
            n_workshops=Count("workshops", distinct=True),
            n_areas=Count("workshops__area", distinct=True),
        )
        .order_by("name")
    )
    if not request.user.is_superuser and not programmes.exists():
        raise Http404("No programme reports for you.")
    return render(
        request,
        "reports/report_list.html",
        {"programmes": programmes, "can_import": request.user.is_superuser},
    )


@login_required
@require_GET
def programme_report(request, pk: int):
    programme = _get_programme_for_user(request, pk)
    form, phases = _phases(request)
    context = {"programme": programme, "form": form, "can_export": request.user.is_superuser}
    if phases is not None:
        loaded = load_programme_report(programme, *phases)
        report = loaded.data
        n_levels = len(report["domains"][0]["from"]["distribution"]) if report["domains"] else 0
        domain_table = domain_table_class(*phases, n_levels, loaded.short_titles)(
            report["domains"], prefix="d-"
        )
        area_urls = {
            code: reverse("area_detail", args=[area_pk])
            for area_pk, code in areas_visible_to(request.user).values_list("pk", "code")
        }
        area_table = AreaTable(
            report["areas"],
            from_phase=phases[0],
            to_phase=phases[1],
            max_total=_max_total(report),
            area_urls=area_urls,
            prefix="a-",
        )
        config = RequestConfig(request, paginate=False)
        config.configure(domain_table)
        config.configure(area_table)
        query = f"?from_phase={phases[0]}&to_phase={phases[1]}"
        context.update(
            report=report,
            framework=loaded.framework,
            chart=domain_means_chart(report),
            domain_table=domain_table,
            area_table=area_table,
            max_total=_max_total(report),
            query=query,
        )
    return render(request, "reports/programme_report.html", context, status=200 if phases else 400)


@login_required
@require_GET
def programme_report_csv(request, pk: int):
    programme = _get_programme_for_user(request, pk)
    phases = _phases_or_400(request)
    if isinstance(phases, HttpResponse):
        return phases
    report = load_programme_report(programme, *phases).data
    out = io.StringIO()
    csv.writer(out).writerows(report_csv_rows(report))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, phases, "csv")}"'
    return response


@login_required
@require_GET
def programme_report_json(request, pk: int):
    programme = _get_programme_for_user(request, pk)
    phases = _phases_or_400(request)
    if isinstance(phases, HttpResponse):
        return phases
    report = load_programme_report(programme, *phases).data
    response = HttpResponse(
        json.dumps(report, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, phases, "json")}"'
    return response


@login_required
@require_GET
def programme_report_pdf(request, pk: int):
    programme = _get_programme_for_user(request, pk)
    phases = _phases_or_400(request)
    if isinstance(phases, HttpResponse):
        return phases
    loaded = load_programme_report(programme, *phases)
    pdf = render_pdf(
        "reports/programme_report_pdf.html",
        {
            "programme": programme,
            "report": loaded.data,
            "framework": loaded.framework,
            "chart": domain_means_chart(loaded.data),
            "max_total": _max_total(loaded.data),
            "levels": range(
                len(loaded.data["domains"][0]["from"]["distribution"]) if loaded.data["domains"] else 0
            ),
            "generated": timezone.localtime(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, phases, "pdf")}"'
    return response


# --- Import and export -----------------------------------------------------------------------------


class ImportForm(forms.Form):
    """The programme is picked from the existing ones or, explicitly, named as a new one."""

    programme = forms.ModelChoiceField(
        queryset=Programme.objects.order_by("name"),
        required=False,
        empty_label="— a new programme (name it below) —",
        label="Programme",
    )
    new_programme = forms.CharField(
        max_length=200,
        required=False,
        label="New programme named",
        help_text="Only for a programme that does not exist yet; leave empty when you chose one above.",
    )
    framework = forms.ModelChoiceField(queryset=Framework.objects.all(), empty_label=None)
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV: area, optional code, phase, optional date (YYYY-MM-DD), one column per domain.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean(self):
        data = super().clean()
        chosen, new_name = data.get("programme"), (data.get("new_programme") or "").strip()
        if "programme" in self.errors or "new_programme" in self.errors:
            return data
        if bool(chosen) == bool(new_name):
            raise forms.ValidationError(
                "Choose an existing programme or type a new programme's name (one of the two)."
            )
        if new_name:
            names = list(Programme.objects.values_list("name", flat=True))
            if new_name in names:
                self.add_error("new_programme", f"“{new_name}” already exists: choose it in the list above.")
            elif confused_with := look_alike(new_name, names):
                message = look_alike_message(confused_with)
                self.add_error("new_programme", message[0].upper() + message[1:] + ".")
        data["programme_name"] = chosen.name if chosen else new_name
        return data

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def ratings_import_view(request):
    _require_admin(request)
    default = Framework.get_default()
    form = ImportForm(request.POST or None, request.FILES or None, initial={"framework": default})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            summary = ratings_import(
                form.cleaned_data["file"].read(),
                form.cleaned_data["programme_name"],
                form.cleaned_data["framework"],
                user=request.user,
            )
        except RatingsImportError as exc:
            problems = exc.errors
        else:
            messages.success(request, f"Imported into “{summary.programme.name}”: {summary}.")
            return redirect("programme_report", summary.programme.pk)
    return render(
        request,
        "reports/import.html",
        {
            "form": form,
            "problems": problems,
            "domain_codes": list(default.domains.order_by("position").values_list("code", flat=True))
            if default
            else [],
        },
        status=400 if request.method == "POST" and (problems or form.errors) else 200,
    )


@login_required
@require_GET
def ratings_export_view(request, pk: int):
    _require_admin(request)
    programme = get_object_or_404(Programme, pk=pk)
    try:
        export = ratings_export(programme)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain")
    response = HttpResponse(export.text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(programme.name) or "programme"}-ratings.csv"'
    )
    return response
