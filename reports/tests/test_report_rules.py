"""The programme report and area progress rules, on plain data (no database)."""

from __future__ import annotations

from ratings.charts import grouped_bar_chart
from reports.rules import (
    AreaRatings,
    DomainInfo,
    PhaseRatings,
    WorkshopLevels,
    area_progress,
    competition_ranks,
    distribution,
    exclusion_reason,
    programme_report,
    report_csv_rows,
    round2,
)

CODES = ["C1", "A1", "S", "C2", "A2", "D", "E"]
DOMAINS = [DomainInfo(code, f"Title {code}") for code in CODES]
FW = "CASCADE"


def levels(*values: int) -> dict[str, int]:
    return dict(zip(CODES, values, strict=True))


def area(name: str, code: str, **phases: tuple[int, ...]) -> AreaRatings:
    return AreaRatings(name, code, {int(k[1:]): PhaseRatings(FW, levels(*v)) for k, v in phases.items()})


# The hand-worked example (see the comments for the arithmetic).
HAND_WORKED = [
    #                  C1 A1 S C2 A2 D E
    area("Avon", "AV", p1=(1, 2, 1, 0, 1, 1, 0), p2=(2, 2, 2, 1, 2, 1, 1)),  # 6 -> 11
    area("Brent", "BR", p1=(0, 1, 1, 0, 2, 1, 0), p2=(1, 1, 2, 0, 2, 2, 1)),  # 5 -> 9
    area("Cray", "CR", p1=(2, 1, 0, 1, 1, 0, 1), p2=(3, 2, 0, 1, 1, 1, 1)),  # 6 -> 9
    area("Dene", "DE", p1=(3, 3, 3, 3, 3, 3, 3)),  # no phase 2: left out
    AreaRatings(
        "Esk",
        "ES",
        {1: PhaseRatings(FW, levels(1, 1, 1, 1, 1, 1, 1)), 2: PhaseRatings(FW, {"C1": 2, "A1": 2})},
    ),
]


def test_it_ranks_ties_by_standard_competition_ranking():
    assert competition_ranks([10, 8, 8, 5]) == [1, 2, 2, 4]
    assert competition_ranks([3, 4, 2, 1, 4, 2, 1]) == [3, 1, 4, 6, 1, 4, 6]
    assert competition_ranks([0, 0, 0]) == [1, 1, 1]
    assert competition_ranks([-2, 3, -2]) == [2, 1, 2]
    assert competition_ranks([]) == []


def test_it_rounds_means_half_up_to_two_decimals():
    assert round2(1, 8) == 0.13  # 0.125
    assert round2(5, 8) == 0.63  # 0.625
    assert round2(2, 3) == 0.67
    assert round2(27, 20) == 1.35
    assert round2(-1, 8) == -0.13
    assert round2(3, 0) is None


def test_it_counts_areas_at_each_level():
    assert distribution([0, 2, 2, 3], 4) == [1, 0, 2, 1]
    assert distribution([], 4) == [0, 0, 0, 0]


def test_the_hand_worked_example():
    report = programme_report("P", 1, 2, FW, DOMAINS, 4, HAND_WORKED)
    assert report["programme"] == "P"
    assert (report["from_phase"], report["to_phase"], report["n_areas"]) == (1, 2, 3)
    by_code = {d["code"]: d for d in report["domains"]}
    assert [d["code"] for d in report["domains"]] == CODES  # framework order
    # Phase 1 totals C1 3, A1 4, S 2, C2 1, A2 4, D 2, E 1 -> ranks 3, 1, 4, 6, 1, 4, 6.
    assert [by_code[c]["from"]["total"] for c in CODES] == [3, 4, 2, 1, 4, 2, 1]
    assert [by_code[c]["from"]["rank"] for c in CODES] == [3, 1, 4, 6, 1, 4, 6]
    assert [by_code[c]["from"]["mean"] for c in CODES] == [1.0, 1.33, 0.67, 0.33, 1.33, 0.67, 0.33]
    # Phase 2 totals 6, 5, 4, 2, 5, 4, 3 -> ranks 1, 2, 4, 7, 2, 4, 6.
    assert [by_code[c]["to"]["total"] for c in CODES] == [6, 5, 4, 2, 5, 4, 3]
    assert [by_code[c]["to"]["rank"] for c in CODES] == [1, 2, 4, 7, 2, 4, 6]
    assert [by_code[c]["to"]["mean"] for c in CODES] == [2.0, 1.67, 1.33, 0.67, 1.67, 1.33, 1.0]
    # Changes 3, 1, 2, 1, 1, 2, 2 -> ranks 1, 5, 2, 5, 5, 2, 2.
    assert [by_code[c]["change"] for c in CODES] == [3, 1, 2, 1, 1, 2, 2]
    assert [by_code[c]["change_rank"] for c in CODES] == [1, 5, 2, 5, 5, 2, 2]
    assert by_code["C1"]["from"]["distribution"] == [1, 1, 1, 0]
    assert by_code["C1"]["to"]["distribution"] == [0, 1, 1, 1]
    assert by_code["E"]["to"]["distribution"] == [0, 3, 0, 0]
    assert by_code["C1"]["title"] == "Title C1"
    assert report["areas"] == [
        {"area": "Avon", "code": "AV", "from_total": 6, "to_total": 11, "change": 5},
        {"area": "Brent", "code": "BR", "from_total": 5, "to_total": 9, "change": 4},
        {"area": "Cray", "code": "CR", "from_total": 6, "to_total": 9, "change": 3},
    ]
    assert report["mean_change"] == 4.0
    assert report["excluded_areas"] == [
        {"area": "Dene", "reason": "no phase 2 workshop"},
        {"area": "Esk", "reason": "phase 2 has no agreed level for S, C2, A2, D, E"},
    ]


def test_the_json_keys_are_exactly_the_agreed_shape():
    report = programme_report("P", 1, 2, FW, DOMAINS, 4, HAND_WORKED)
    assert list(report) == [
        "programme",
        "from_phase",
        "to_phase",
        "n_areas",
        "excluded_areas",
        "domains",
        "areas",
        "mean_change",
    ]
    assert list(report["domains"][0]) == ["code", "title", "from", "to", "change", "change_rank"]
    assert list(report["domains"][0]["from"]) == ["total", "mean", "rank", "distribution"]
    assert list(report["areas"][0]) == ["area", "code", "from_total", "to_total", "change"]
    assert list(report["excluded_areas"][0]) == ["area", "reason"]


def test_it_compares_any_two_phases_in_either_order():
    report = programme_report("P", 2, 1, FW, DOMAINS, 4, HAND_WORKED)
    assert report["areas"][0] == {"area": "Cray", "code": "CR", "from_total": 9, "to_total": 6, "change": -3}
    assert report["mean_change"] == -4.0


def test_it_sorts_areas_by_change_then_name():
    areas = [
        area("Zed", "Z", p1=(0,) * 7, p2=(1, 0, 0, 0, 0, 0, 0)),
        area("alpha", "A", p1=(0,) * 7, p2=(1, 0, 0, 0, 0, 0, 0)),
        area("Mid", "M", p1=(0,) * 7, p2=(2, 0, 0, 0, 0, 0, 0)),
    ]
    report = programme_report("P", 1, 2, FW, DOMAINS, 4, areas)
    assert [a["area"] for a in report["areas"]] == ["Mid", "alpha", "Zed"]
    assert report["mean_change"] == 1.33


def test_it_explains_every_exclusion():
    assert exclusion_reason(area("X", "X"), (1, 2), FW, CODES) == "no phase 1 workshop; no phase 2 workshop"
    other = AreaRatings("Y", "Y", {1: PhaseRatings("Other", levels(*(1,) * 7)), 2: PhaseRatings(FW, {})})
    assert exclusion_reason(other, (1, 2), FW, CODES) == (
        "phase 1 was rated with Other; phase 2 has no agreed ratings yet"
    )
    assert exclusion_reason(HAND_WORKED[0], (1, 2), FW, CODES) is None


def test_a_programme_without_comparable_areas_has_empty_figures():
    report = programme_report("P", 1, 2, FW, DOMAINS, 4, [area("Dene", "DE", p1=(1,) * 7)])
    assert report["n_areas"] == 0
    assert report["areas"] == []
    assert report["mean_change"] is None
    assert report["domains"][0]["from"] == {"total": 0, "mean": None, "rank": 1, "distribution": [0, 0, 0, 0]}
    assert [d["change_rank"] for d in report["domains"]] == [1] * 7


def test_the_csv_rows_hold_every_figure():
    report = programme_report("P", 1, 2, FW, DOMAINS, 4, HAND_WORKED)
    rows = report_csv_rows(report)
    assert rows[0] == ["programme", "P"]
    assert ["mean_change", 4.0] in rows
    header = rows.index(
        ["domain", "title", "from_total", "from_mean", "from_rank"]
        + [f"from_level_{i}" for i in range(4)]
        + ["to_total", "to_mean", "to_rank"]
        + [f"to_level_{i}" for i in range(4)]
        + ["change", "change_rank"]
    )
    assert rows[header + 1] == ["C1", "Title C1", 3, 1.0, 3, 1, 1, 1, 0, 6, 2.0, 1, 0, 1, 1, 1, 3, 1]
    assert ["Avon", "AV", 6, 11, 5] in rows
    assert ["Dene", "no phase 2 workshop"] in rows


def test_the_csv_rows_never_start_a_formula_but_keep_numbers():
    """An area or programme named '=HYPERLINK(…)' must not become a live cell in a spreadsheet."""
    areas = [
        area("=HYPERLINK(1)", "@X", p1=(1,) * 7, p2=(0,) * 7),  # change -7 stays a number
        area("-Dene", "DE", p1=(3,) * 7),
    ]
    rows = report_csv_rows(programme_report("+P", 1, 2, FW, DOMAINS, 4, areas))
    assert rows[0] == ["programme", "'+P"]
    assert ["'=HYPERLINK(1)", "'@X", 7, 0, -7] in rows
    assert ["'-Dene", "no phase 2 workshop"] in rows


def test_area_progress_shows_levels_and_changes_between_consecutive_workshops():
    rows = area_progress(
        ["C1", "A1"],
        [
            WorkshopLevels(1, {"C1": 1, "A1": 2}),
            WorkshopLevels(2, {"C1": 2}),  # still being rated
            WorkshopLevels(3, {"C1": 3, "A1": 1}),
        ],
    )
    assert rows[0].cells == [(1, None), (2, None)] and rows[0].total == 3 and rows[0].total_change is None
    assert rows[1].cells == [(2, 1), (None, None)] and rows[1].total is None
    assert rows[2].cells == [(3, 1), (1, None)]
    assert rows[2].total == 4 and rows[2].total_change is None  # the workshop before was incomplete


def test_area_progress_totals_change_between_complete_workshops():
    rows = area_progress(["C1"], [WorkshopLevels(1, {"C1": 3}), WorkshopLevels(2, {"C1": 1})])
    assert rows[1].cells == [(1, -2)] and rows[1].total_change == -2


def test_area_progress_compares_with_the_latest_workshop_with_agreed_levels():
    # Issue 23: a phase-3 workshop compared itself with the unfinished phase-2 draft.
    rows = area_progress(
        ["C1", "A1"],
        [WorkshopLevels(1, {"C1": 2, "A1": 4}), WorkshopLevels(2, {}), WorkshopLevels(3, {"C1": 4, "A1": 6})],
    )
    assert rows[2].cells == [(4, 2), (6, 2)] and rows[2].total == 10 and rows[2].total_change == 4
    assert rows[2].compared_with == 1
    assert rows[0].compared_with is None and rows[1].compared_with is None  # nothing to compare


def test_the_chart_draws_bars_to_scale_and_leaves_gaps():
    chart = grouped_bar_chart(
        ["C1", "A1"], [("Phase 1", [3, 1.5]), ("Phase 2", [None, 0])], 3, title="t", width=400, height=200
    )
    assert len(chart.bars) == 3  # None leaves a gap
    full, half, zero = chart.bars
    plot_h = chart.plot_bottom - chart.plot_top
    assert full.height == round(plot_h, 1) and full.y == round(chart.plot_top, 1)
    assert half.height == round(plot_h / 2, 1)
    assert zero.height == 0
    assert [t.label for t in chart.ticks] == ["0", "1", "2", "3"]
    assert full.label == "C1, Phase 1: 3" and half.value_text == "1.5"
    assert "Phase 2: C1 —, A1 0" in chart.description
    assert [item.label for item in chart.legend] == ["Phase 1", "Phase 2"]
    assert full.colour != chart.bars[2].colour
