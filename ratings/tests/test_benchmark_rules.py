"""The benchmark rules on plain data (no database): ranks, the privacy threshold, the equality
with the programme report, and the phone's own line after a reveal."""

from __future__ import annotations

import pytest

from ratings.benchmark import (
    AreaRatings,
    DomainInfo,
    PhaseRatings,
    Rank,
    area_benchmark,
    own_vote_words,
    rank_of,
)
from reports.rules import programme_report

CODES = ["C1", "A1", "S"]
DOMAINS = [DomainInfo(code, f"Title {code}") for code in CODES]
FW = "CASCADE"


def area(code: str, **phases: tuple[int, ...]) -> AreaRatings:
    return AreaRatings(
        f"Area {code}",
        code,
        {int(k[1:]): PhaseRatings(FW, dict(zip(CODES, v, strict=False))) for k, v in phases.items()},
    )


def bench(areas, code="A", phase=1, previous=None, min_areas=5):
    return area_benchmark("Pilot", code, phase, previous, FW, DOMAINS, 4, areas, min_areas)


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"),
     (22, "22nd"), (101, "101st"), (111, "111th"), (112, "112th")],
)  # fmt: skip
def test_ranks_read_as_ordinals(n, words):
    assert str(Rank(n, 200, False)) == f"{words} of 200"


def test_a_rank_is_the_standard_competition_rank_and_says_when_it_is_shared():
    values = [3, 2, 2, 1, 0]
    assert str(rank_of(values, 0)) == "1st of 5"
    assert str(rank_of(values, 1)) == "joint 2nd of 5"
    assert str(rank_of(values, 3)) == "4th of 5"  # the place after a tie is skipped


def test_it_withholds_every_aggregate_below_the_threshold():
    areas = [area(c, p1=(1, 1, 1)) for c in "ABCD"]
    b = bench(areas)
    assert (b.n_areas, b.shown) == (4, False)
    assert b.chart() is None
    assert b.mean_total is None and b.total_rank is None
    assert all(d.distribution is None and d.mean is None and d.rank is None for d in b.domains)
    assert [d.level for d in b.domains] == [1, 1, 1]  # the area's own levels stay
    assert b.total == 3


def test_it_shows_the_figures_from_five_areas():
    areas = [area("A", p1=(2, 1, 0))] + [area(c, p1=(i % 4, 1, 2)) for i, c in enumerate("BCDE")]
    b = bench(areas)
    assert (b.n_areas, b.shown) == (5, True)
    c1 = b.domains[0]
    # C1 levels: A 2, B 0, C 1, D 2, E 3
    assert c1.distribution == [1, 1, 2, 1]
    assert c1.mean == 1.6
    assert str(c1.rank) == "joint 2nd of 5"
    assert b.total == 3 and b.max_total == 9
    # Totals: A 3, B 3, C 4, D 5, E 6
    assert b.mean_total == 4.2
    assert str(b.total_rank) == "joint 4th of 5"


def test_only_areas_complete_in_the_phase_count():
    areas = [area(c, p1=(1, 1, 1)) for c in "ABCD"] + [area("E", p1=(3, 3)), area("F", p2=(3, 3, 3))]
    assert bench(areas).n_areas == 4


def test_an_incomplete_area_sees_the_programme_but_no_rank_or_total():
    areas = [area("A", p1=(2,))] + [area(c, p1=(1, 1, 1)) for c in "BCDEF"]
    b = bench(areas)
    assert b.shown and b.n_areas == 5
    assert b.domains[0].level == 2 and b.domains[1].level is None
    assert b.domains[0].mean == 1.0
    assert b.total is None and b.total_rank is None and b.mean_total == 3.0
    assert all(d.rank is None for d in b.domains)


def test_the_figures_equal_the_programme_report():
    areas = [area(c, p1=(i % 3, (i + 1) % 4, 1), p2=((i + 1) % 4, 2, i % 2)) for i, c in enumerate("ABCDEFG")]
    report = programme_report("Pilot", 1, 2, FW, DOMAINS, 4, areas)
    for me in areas:
        b = bench(areas, code=me.code, phase=2, previous=1)
        assert b.n_areas == b.n_change_areas == report["n_areas"] == 7
        assert [d.distribution for d in b.domains] == [d["to"]["distribution"] for d in report["domains"]]
        assert [d.mean for d in b.domains] == [d["to"]["mean"] for d in report["domains"]]
        assert b.mean_change == report["mean_change"]
        row = next(r for r in report["areas"] if r["code"] == me.code)
        assert (b.total, b.total_change) == (row["to_total"], row["change"])
        baseline = bench(areas, code=me.code, phase=1)
        assert [d.mean for d in baseline.domains] == [d["from"]["mean"] for d in report["domains"]]


def test_the_change_is_compared_among_areas_complete_in_both_phases():
    areas = [area(c, p1=(0, 0, 0), p2=(1, 1, 1)) for c in "ABCD"] + [area("E", p2=(3, 3, 3))]
    b = bench(areas, code="A", phase=2, previous=1)
    assert b.shown and b.n_areas == 5
    assert (b.n_change_areas, b.change_shown) == (4, False)
    assert b.mean_change is None and all(d.mean_change is None for d in b.domains)
    assert b.total_change == 3 and b.domains[0].change == 1  # the area's own change stays
    areas.append(area("F", p1=(1, 1, 1), p2=(1, 1, 1)))
    b = bench(areas, code="A", phase=2, previous=1)
    assert b.change_shown and b.n_change_areas == 5
    assert b.mean_change == 2.4  # 4 areas +3, one 0
    assert [d.mean_change for d in b.domains] == [0.8, 0.8, 0.8]


def test_it_never_holds_another_areas_name():
    areas = [area(c, p1=(1, 2, 3)) for c in "ABCDEF"]
    b = bench(areas, code="C")
    assert b.area == "Area C"
    assert "Area A" not in repr(b)
    assert "Area A" not in repr(b.chart())


def test_the_phone_line_quotes_the_issue():
    # 10 votes: 3 at level 2, 5 at level 1, 2 at level 0; suggestion 1 (80% say 1 or above).
    counts = (2, 5, 3, 0)
    words = own_vote_words(2, True, counts, 1)
    assert words == "You said 2; the suggestion is 1: 8 of 10 say 1 or above, 3 of 10 say 2 or above."


@pytest.mark.parametrize(
    ("own", "voted", "expected"),
    [
        (1, True, "You said 1; the suggestion is 1: 8 of 10 say 1 or above."),
        (0, True, "You said 0; the suggestion is 1: 8 of 10 say 1 or above, 10 of 10 say 0 or above."),
        (3, True, "You said 3; the suggestion is 1: 8 of 10 say 1 or above, 0 of 10 say 3 or above."),
        (None, True, "You said not sure; the suggestion is 1: 8 of 10 say 1 or above."),
        (None, False, "You did not vote; the suggestion is 1: 8 of 10 say 1 or above."),
    ],
)
def test_the_phone_line_for_every_kind_of_vote(own, voted, expected):
    assert own_vote_words(own, voted, (2, 5, 3, 0), 1) == expected


def test_the_phone_line_when_nobody_chose_a_level():
    assert own_vote_words(None, True, (0, 0, 0, 0), None) == (
        "You said not sure; no level was suggested: nobody chose a level."
    )
