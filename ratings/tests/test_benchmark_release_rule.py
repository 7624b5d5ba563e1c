"""The benchmark release rule and the figures of a frozen set, on plain data (no database).

Issue 21: a lead must not work out one area's levels by differencing two views. Every view a
lead or facilitator gets is a function of the latest release, so views can differ only where
releases do, and consecutive releases differ by a whole step of at least `min_areas` new areas.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ratings.benchmark import DomainInfo
from ratings.benchmark_release import (
    Release,
    next_release,
    place_among,
    released_benchmark,
    singles_out_an_area,
)

CODES = ["C1", "A1", "S"]
DOMAINS = [DomainInfo(code, f"Title {code}") for code in CODES]
DAY = dt.date(2026, 3, 1)


def levels(*values: int) -> dict[str, int]:
    return dict(zip(CODES, values, strict=True))


def complete(n: int, start: int = 1) -> dict[int, dict[str, int]]:
    return {pk: levels(pk % 4, (pk + 1) % 4, (pk * 3) % 4) for pk in range(start, start + n)}


# --- When a release is due ----------------------------------------------------------------------


def test_it_releases_nothing_below_the_threshold():
    assert next_release(complete(4), {}, 5) is None
    assert next_release({}, {}, 0) is None  # an empty set is never a release


def test_the_first_release_holds_every_complete_area():
    assert next_release(complete(5), {}, 5) == complete(5)
    assert next_release(complete(9), {}, 5) == complete(9)


def test_it_waits_for_a_whole_step_of_new_areas():
    first = complete(5)
    for n in range(6, 10):
        assert next_release(complete(n), first, 5) is None, n
    assert set(next_release(complete(10), first, 5)) == set(range(1, 11))


def test_released_areas_keep_their_frozen_levels_and_stay():
    first = complete(5)
    now = {pk: lv for pk, lv in complete(9).items() if pk != 3}  # area 3 no longer complete
    now[1] = levels(3, 3, 3)  # area 1 re-agreed after its release
    assert next_release(now, first, 5) is None  # neither counts as new: only 6..9 are
    now[10] = levels(0, 0, 0)
    second = next_release(now, first, 5)
    assert second[1] == first[1] and second[3] == first[3]
    assert set(second) == set(range(1, 11))


@given(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=30), st.integers(2, 6))
def test_any_sequence_of_completions_and_reads_moves_in_whole_steps(batches, min_areas):
    """Areas complete in batches, someone reads after each: releases nest and each adds >= min."""
    now: dict[int, dict[str, int]] = {}
    releases: list[dict[int, dict[str, int]]] = []
    next_pk = 1
    for size in batches:
        now.update(complete(size, next_pk))
        next_pk += size
        taken = next_release(now, releases[-1] if releases else {}, min_areas)
        if taken is not None:
            releases.append(taken)
    for earlier, later in zip([{}, *releases], releases, strict=False):
        assert len(set(later) - set(earlier)) >= min_areas
        assert all(later[pk] == lv for pk, lv in earlier.items())


# --- What a frozen set shows ----------------------------------------------------------------------


def bench(release, *, area_pk=1, mine=None, before=None, previous=None, previous_release=None, min_areas=5):
    return released_benchmark(
        "Pilot", area_pk, "North", 2 if previous else 1, previous, DOMAINS, 4,
        mine if mine is not None else levels(1, 2, 1), before or {}, release, previous_release, min_areas,
    )  # fmt: skip


def test_no_release_shows_no_figure_and_no_count():
    b = bench(None)
    assert not b.shown and b.n_areas == 0 and b.released
    assert all(d.distribution is None and d.mean is None and d.rank is None for d in b.domains)
    assert b.mean_total is None and b.total_rank is None and b.chart() is None


def test_the_figures_are_the_releases_whoever_looks():
    release = Release(1, DAY, complete(6))
    views = [bench(release, area_pk=pk, mine=lv) for pk, lv in complete(6).items()]
    views.append(bench(release, area_pk=99, mine=levels(3, 3, 3)))  # completed after the release
    for b in views:
        assert [d.distribution for d in b.domains] == [d.distribution for d in views[0].domains]
        assert [d.mean for d in b.domains] == [d.mean for d in views[0].domains]
        assert (b.n_areas, b.mean_total, b.released_on) == (6, views[0].mean_total, DAY)
    assert views[0].in_release and not views[-1].in_release
    assert [d.distribution for d in views[0].domains][0] == [1, 2, 2, 1]  # C1 = pk % 4 over 1..6


def test_a_later_area_is_placed_among_the_release_without_joining_it():
    release = Release(1, DAY, {pk: levels(2, 2, 2) for pk in range(1, 6)})
    b = bench(release, area_pk=99, mine=levels(3, 2, 0))
    assert [str(d.rank) for d in b.domains] == ["1st of 6", "joint 1st of 6", "6th of 6"]
    assert str(b.total_rank) == "6th of 6"  # 5 against five 6s
    assert b.n_areas == 5 and b.domains[0].distribution == [0, 0, 5, 0]


def test_a_member_is_ranked_with_its_current_levels_among_the_others():
    release = Release(1, DAY, {1: levels(0, 0, 0), **{pk: levels(2, 2, 2) for pk in range(2, 6)}})
    b = bench(release, area_pk=1, mine=levels(3, 3, 3))
    assert str(b.total_rank) == "1st of 5"
    assert b.domains[0].distribution == [1, 0, 4, 0]  # the release's, frozen


def test_place_among_is_standard_competition_ranking():
    assert str(place_among([3, 2, 2, 1], 2, 4)) == "joint 2nd of 5"
    assert str(place_among([3, 2, 2, 1], 0, 4)) == "5th of 5"


def test_the_mean_change_is_the_difference_of_two_releases_means():
    before = Release(1, DAY, {pk: levels(1, 1, 1) for pk in range(1, 8)})  # 7 areas, mean 1
    after = Release(1, DAY, {pk: levels(2, 1, pk % 2) for pk in range(1, 6)})  # 5 areas
    b = bench(after, mine=levels(2, 1, 1), before=levels(1, 1, 1), previous=1, previous_release=before)
    assert b.change_shown and b.n_change_areas == 7 and b.previous_released_on == DAY
    assert [d.mean_change for d in b.domains] == [1.0, 0.0, -0.4]  # S: 3/5 - 1
    assert b.mean_change == 0.6 and b.total_change == 1
    assert not bench(after, previous=1).change_shown  # no release of the earlier phase yet


def test_a_release_below_a_raised_threshold_or_missing_a_domain_is_not_shown():
    assert not bench(Release(1, DAY, complete(5)), min_areas=6).shown
    partial = {pk: {"C1": 1, "A1": 1} for pk in range(1, 7)}
    assert not bench(Release(1, DAY, partial)).shown


def test_it_refuses_a_release_that_differs_from_another_programmes_by_one_area():
    q = {1, 2, 3, 4, 5}
    assert singles_out_an_area([q], {1, 2, 3, 4, 5, 6})
    assert not singles_out_an_area([q], {1, 2, 3, 4, 5})  # the same areas: nothing new
    assert not singles_out_an_area([q], set(range(1, 11)))  # a whole step more


def test_it_refuses_a_release_that_singles_out_an_area_in_combination():
    """Q - (R - P) would be area 99's levels, though each pair differs by five or more."""
    p, r = {1, 2, 3, 4, 5}, set(range(1, 11))
    assert singles_out_an_area([p, r], {6, 7, 8, 9, 10, 99})


def test_it_refuses_a_release_that_gives_an_area_beside_the_readers_own():
    """R - Q = area 6 minus area 1: the lead of area 1 knows their own levels."""
    assert singles_out_an_area([{1, 2, 3, 4, 5}], {2, 3, 4, 5, 6})


def test_a_programmes_own_steps_never_single_out_an_area():
    steps = [set(range(5)), set(range(10)), set(range(15))]
    assert not singles_out_an_area(steps[:2], steps[2])
    assert not singles_out_an_area([], steps[0])


def test_a_programme_alone_is_left_to_its_own_step_size():
    """BENCHMARK_MIN_AREAS=2 is the operator's choice: with no other programme sharing areas the
    cross-programme rule never holds a release back."""
    assert not singles_out_an_area([], {1, 2})
    assert not singles_out_an_area([{50, 51, 52, 53, 54}], {1, 2, 3}, own=[{1, 2}])
