"""Read the database into the plain structures of `reports/rules.py`, in a fixed number of queries.

Each loader runs the same queries whatever the number of areas or workshops: one list of
workshops, one list of agreed levels, the framework's domains and levels.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from ratings.benchmark import Benchmark
from ratings.benchmark_data import load_programme_levels, sees_current_figures, workshop_benchmark
from ratings.charts import Chart, grouped_bar_chart
from ratings.models import Consensus
from workshops.models import Area, Domain, Framework, Level, Programme, Workshop

from .rules import ProgressRow, WorkshopLevels, area_progress
from .rules import programme_report as build_programme_report


@dataclass
class LoadedReport:
    data: dict  # exactly the JSON shape of `reports.programme_report`
    framework: Framework | None  # for its attribution wherever domain titles are shown
    short_titles: dict[str, str]  # domain code -> short title, for narrow tables


def programme_report_for(programme: Programme, from_phase: int = 1, to_phase: int = 2) -> dict:
    """The programme report (see `reports.programme_report`) over the programme's workshops."""
    return load_programme_report(programme, from_phase, to_phase).data


def load_programme_report(programme: Programme, from_phase: int = 1, to_phase: int = 2) -> LoadedReport:
    """The report and its framework in five queries, whatever the number of areas: the same
    loader as every area's benchmark (ratings.benchmark_data)."""
    loaded = load_programme_levels(programme.pk, {from_phase, to_phase})
    data = build_programme_report(
        programme.name,
        from_phase,
        to_phase,
        loaded.framework_name,
        loaded.domains,
        loaded.n_levels,
        loaded.areas,
    )
    return LoadedReport(data, loaded.framework, loaded.short_titles)


def domain_means_chart(report: dict) -> Chart:
    """Bars of the domain means in both phases."""
    domains = report["domains"]
    n_levels = len(domains[0]["from"]["distribution"]) if domains else 1
    return grouped_bar_chart(
        [d["code"] for d in domains],
        [
            (f"Phase {report['from_phase']}", [d["from"]["mean"] for d in domains]),
            (f"Phase {report['to_phase']}", [d["to"]["mean"] for d in domains]),
        ],
        max(1, n_levels - 1),
        title=f"Mean agreed level per domain, phase {report['from_phase']} and phase {report['to_phase']}",
    )


# --- The area page ---------------------------------------------------------------------------


@dataclass
class AreaSection:
    """The workshops of an area that used one framework, compared with each other."""

    framework: Framework
    domains: list[Domain]
    max_total: int
    # workshop, its progress row, may the user open it, the workshop its changes compare with
    rows: list[tuple[Workshop, ProgressRow, bool, Workshop | None]]
    chart: Chart

    @property
    def chart_id(self) -> str:
        return f"area-chart-{self.framework.pk}"


def area_sections(area: Area, user) -> list[AreaSection]:
    """All workshops of the area in time order, grouped by framework, with agreed levels and
    changes; five queries whatever the number of workshops."""
    workshops = list(
        Workshop.objects.filter(area=area)
        .select_related("programme", "framework")
        .order_by("date", "phase", "pk")
    )
    ids = [w.pk for w in workshops]
    framework_ids = {w.framework_id for w in workshops}
    domains_by_framework: dict[int, list[Domain]] = defaultdict(list)
    for domain in Domain.objects.filter(framework_id__in=framework_ids).order_by("position", "pk"):
        domains_by_framework[domain.framework_id].append(domain)
    n_levels = dict(
        Level.objects.filter(framework_id__in=framework_ids)
        .values("framework_id")
        .annotate(n=Count("pk"))
        .values_list("framework_id", "n")
    )
    code_of = {d.pk: d.code for ds in domains_by_framework.values() for d in ds}
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    for workshop_id, domain_id, level in Consensus.objects.filter(workshop_id__in=ids).values_list(
        "workshop_id", "domain_id", "level"
    ):
        if domain_id in code_of:
            levels[workshop_id][code_of[domain_id]] = level
    if user.is_superuser:
        openable = set(ids)
    else:
        openable = set(
            Workshop.objects.visible_to(user).filter(area=area).values_list("pk", flat=True).distinct()
        )

    by_pk = {w.pk: w for w in workshops}
    sections = []
    for framework_id in sorted(framework_ids):
        in_framework = [w for w in workshops if w.framework_id == framework_id]
        domains = domains_by_framework[framework_id]
        codes = [d.code for d in domains]
        top = max(0, n_levels.get(framework_id, 1) - 1)
        progress = area_progress(codes, [WorkshopLevels(w.pk, levels.get(w.pk, {})) for w in in_framework])
        chart = grouped_bar_chart(
            codes,
            [
                (_workshop_label(w), [cell[0] for cell in row.cells])
                for w, row in zip(in_framework, progress, strict=True)
            ],
            max(1, top),
            title=f"Agreed level per domain, by workshop ({area.name})",
        )
        sections.append(
            AreaSection(
                framework=in_framework[0].framework,
                domains=domains,
                max_total=top * len(domains),
                rows=[
                    (w, row, w.pk in openable, by_pk.get(row.compared_with))
                    for w, row in zip(in_framework, progress, strict=True)
                ],
                chart=chart,
            )
        )
    return sections


def _workshop_label(workshop: Workshop) -> str:
    return f"{workshop.date:%b %Y} · phase {workshop.phase}"


@dataclass
class AreaBenchmark:
    workshop: Workshop  # the area's latest workshop with agreed levels in the programme
    benchmark: Benchmark

    @property
    def prefix(self) -> str:
        return f"benchmark-{self.workshop.pk}"


def area_benchmarks(area: Area, user=None) -> list[AreaBenchmark]:
    """The area against each of its programmes, at its latest phase with agreed levels there;
    seven queries per programme of the area, whatever the number of areas in them. Released
    figures unless `user` may see every area of the programme (`sees_current_figures`)."""
    workshops = (
        Workshop.objects.filter(area=area, programme__isnull=False)
        .select_related("programme", "framework", "area")
        .annotate(n_agreed=Count("consensuses"))
        .filter(n_agreed__gt=0)
        .order_by("programme__name", "programme_id", "-phase")
    )
    latest: dict[int, Workshop] = {}
    for workshop in workshops:
        latest.setdefault(workshop.programme_id, workshop)
    return [
        AreaBenchmark(w, workshop_benchmark(w, current=sees_current_figures(user, w.programme_id)))
        for w in latest.values()
    ]
