"""Progress reports as pure functions: no database, so every rule is tested on plain data.

The programme report compares the agreed levels of many areas between two phases (usually
the baseline and the follow-up workshop); the area page follows one area through time.
`reports/data.py` reads the database into these structures (`ratings.benchmark_data`); the
statistics themselves live in `ratings.benchmark`, shared with every area's benchmark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ratings.benchmark import (  # noqa: F401 - the shared statistics, re-exported for callers
    AreaRatings,
    DomainInfo,
    PhaseRatings,
    area_total,
    competition_ranks,
    distribution,
    exclusion_reason,
    phase_figures,
    round2,
)
from workshops.spreadsheet import as_text_cell


def programme_report(
    programme: str,
    from_phase: int,
    to_phase: int,
    framework: str,
    domains: Sequence[DomainInfo],
    n_levels: int,
    areas: Sequence[AreaRatings],
) -> dict:
    """The programme report in the JSON shape evaluators script against (keep it exactly).

    Only areas with a complete set of agreed levels in both phases (with `framework`) count;
    the others are listed in `excluded_areas` with the reason.
    """
    codes = [d.code for d in domains]
    included: list[AreaRatings] = []
    excluded = []
    for area in sorted(areas, key=lambda a: (a.name.casefold(), a.code)):
        reason = exclusion_reason(area, (from_phase, to_phase), framework, codes)
        if reason:
            excluded.append({"area": area.name, "reason": reason})
        else:
            included.append(area)
    n = len(included)

    def phase_stats(phase: int) -> tuple[list[int], list[dict]]:
        # The same figures every benchmark shows (ratings.benchmark.phase_figures).
        figures = phase_figures(included, phase, codes, n_levels)
        stats = [
            {"total": total, "mean": mean, "rank": rank, "distribution": counts}
            for total, mean, rank, counts in zip(
                figures.totals, figures.means, figures.ranks, figures.distributions, strict=True
            )
        ]
        return figures.totals, stats

    from_totals, from_stats = phase_stats(from_phase)
    to_totals, to_stats = phase_stats(to_phase)
    changes = [t - f for f, t in zip(from_totals, to_totals, strict=True)]
    change_ranks = competition_ranks(changes)
    domain_rows = [
        {
            "code": d.code,
            "title": d.title,
            "from": from_stats[i],
            "to": to_stats[i],
            "change": changes[i],
            "change_rank": change_ranks[i],
        }
        for i, d in enumerate(domains)
    ]

    area_rows = []
    for a in included:
        from_total = area_total(a, from_phase, codes)
        to_total = area_total(a, to_phase, codes)
        area_rows.append(
            {
                "area": a.name,
                "code": a.code,
                "from_total": from_total,
                "to_total": to_total,
                "change": to_total - from_total,
            }
        )
    area_rows.sort(key=lambda r: (-r["change"], r["area"].casefold(), r["code"]))
    return {
        "programme": programme,
        "from_phase": from_phase,
        "to_phase": to_phase,
        "n_areas": n,
        "excluded_areas": excluded,
        "domains": domain_rows,
        "areas": area_rows,
        "mean_change": round2(sum(r["change"] for r in area_rows), n),
    }


# --- One area through time -------------------------------------------------------------------


@dataclass(frozen=True)
class WorkshopLevels:
    """One workshop of an area, in the order it happened, with its agreed levels so far."""

    key: int
    levels: dict[str, int]


@dataclass(frozen=True)
class ProgressRow:
    key: int
    cells: list[tuple[int | None, int | None]]  # (level, change from the workshop compared with)
    total: int | None  # None until every domain is agreed
    total_change: int | None
    compared_with: int | None = None  # the key of the workshop compared with


def area_progress(domain_codes: Sequence[str], workshops: Sequence[WorkshopLevels]) -> list[ProgressRow]:
    """Agreed level per domain for each workshop, its total, and the change from the latest
    earlier workshop with agreed levels (a draft never run is skipped; only where both have a
    level; totals only when both are complete)."""
    rows: list[ProgressRow] = []
    previous: WorkshopLevels | None = None
    previous_total: int | None = None
    for w in workshops:
        cells = []
        for code in domain_codes:
            level = w.levels.get(code)
            before = previous.levels.get(code) if previous else None
            change = level - before if level is not None and before is not None else None
            cells.append((level, change))
        complete = all(code in w.levels for code in domain_codes)
        total = sum(w.levels[code] for code in domain_codes) if complete else None
        total_change = total - previous_total if total is not None and previous_total is not None else None
        compared_with = previous.key if previous is not None and w.levels else None
        rows.append(ProgressRow(w.key, cells, total, total_change, compared_with))
        if w.levels:
            previous, previous_total = w, total
    return rows


def report_csv_rows(report: dict) -> list[list]:
    """The programme report as CSV rows: a summary block, then the domains, areas and exclusions,
    each block with its own header and separated by an empty row. Text that would start a
    spreadsheet formula is prefixed with '."""
    n_levels = len(report["domains"][0]["from"]["distribution"]) if report["domains"] else 0
    rows: list[list] = [
        ["programme", report["programme"]],
        ["from_phase", report["from_phase"]],
        ["to_phase", report["to_phase"]],
        ["n_areas", report["n_areas"]],
        ["mean_change", _blank_none(report["mean_change"])],
        [],
    ]
    level_headers = [f"{{side}}_level_{i}" for i in range(n_levels)]
    rows.append(
        ["domain", "title"]
        + [f"from_{k}" for k in ("total", "mean", "rank")]
        + [h.format(side="from") for h in level_headers]
        + [f"to_{k}" for k in ("total", "mean", "rank")]
        + [h.format(side="to") for h in level_headers]
        + ["change", "change_rank"]
    )
    for d in report["domains"]:
        rows.append(
            [d["code"], d["title"]]
            + [d["from"]["total"], _blank_none(d["from"]["mean"]), d["from"]["rank"]]
            + d["from"]["distribution"]
            + [d["to"]["total"], _blank_none(d["to"]["mean"]), d["to"]["rank"]]
            + d["to"]["distribution"]
            + [d["change"], d["change_rank"]]
        )
    rows.append([])
    rows.append(["area", "code", "from_total", "to_total", "change"])
    for a in report["areas"]:
        rows.append([a["area"], a["code"], a["from_total"], a["to_total"], a["change"]])
    rows.append([])
    rows.append(["excluded_area", "reason"])
    for e in report["excluded_areas"]:
        rows.append([e["area"], e["reason"]])
    return [[as_text_cell(cell) for cell in row] for row in rows]


def _blank_none(value):
    return "" if value is None else value
