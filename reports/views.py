"""Area pages, the programme report (page, CSV, PDF, JSON) and the ratings import page.

Who sees what:
- an area page: the area's CCG leads, facilitators of any of its workshops, and admins;
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
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods
from django_tables2 import RequestConfig

from workshops.models import Area, Framework, Programme
from workshops.pdf import render_pdf
from workshops.roles import is_ccg_lead, is_facilitator

from .data import area_benchmarks, area_sections, domain_means_chart, load_programme_report
from .exporter import ratings_export
from .importer import ratings_import
from .parsing import MAX_FILE_BYTES, RatingsImportError
from .rules import report_csv_rows
from .tables import AreaTable, domain_table_class

# --- Who may see what ----------------------------------------------------------------------------


def areas_visible_to(user) -> QuerySet[Area]:
    if not user.is_authenticated:
        return Area.objects.none()
    if user.is_superuser:
        return Area.objects.all()
    return Area.objects.filter(Q(leads=user) | Q(workshops__facilitators=user)).distinct()


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
    areas = (
        areas_visible_to(request.user)
        .annotate(n_workshops=Count("workshops", distinct=True), last_date=Max("workshops__date"))
        .order_by("name", "code")
    )
    return render(request, "reports/area_list.html", {"areas": areas})


@login_required
@require_GET
def area_detail(request, pk: int):
    area = _get_area_for_user(request, pk)
    return render(
        request,
        "reports/area_detail.html",
        {"area": area, "sections": area_sections(area, request.user), "benchmarks": area_benchmarks(area)},
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
    programme = forms.CharField(
        max_length=200,
        help_text="An existing programme's name, or a new name to create it.",
        widget=forms.TextInput(attrs={"list": "programme-names", "autocomplete": "off"}),
    )
    framework = forms.ModelChoiceField(queryset=Framework.objects.all(), empty_label=None)
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV: area, optional code, phase, optional date (YYYY-MM-DD), one column per domain.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

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
                form.cleaned_data["programme"],
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
            "programme_names": Programme.objects.values_list("name", flat=True),
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
