"""The consensus rule, without the database: worked examples and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratings.consensus import agreement_in_words, expand_counts, sector_breakdown, suggest_level, summarise

votes_st = st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=60)
agreement_st = (
    st.fractions(min_value=0, max_value=1).filter(lambda f: f > 0).map(float).filter(lambda a: 0 < a <= 1)
)


# Worked examples (also in the README).
@pytest.mark.parametrize(
    "votes,agreement,expected",
    [
        ([2, 2, 2, 2, 2, 2, 2, 2, 1, 1], 0.8, 2),  # 8 of 10 at 2 or above
        ([2, 2, 2, 2, 2, 2, 2, 1, 1, 1], 0.8, 1),  # only 7 of 10 at 2: falls to 1
        ([3, 3, 2, 2, 2, 2, 2, 2, 2, 0], 0.8, 2),  # one outlier at 0 is tolerated
        ([3, 3, 2, 2, 2, 2, 2, 2, 2, 0], 1.0, 0),  # strict weakest link: the lowest vote
        ([3, 3, 3, 3, 3, 3, 3, 2, 2, 2], 0.7, 3),  # exactly 7 of 10 meets 0.7
        ([3, 3, 3, 3, 3, 3, 2, 2, 2, 2], 0.7, 2),  # 6 of 10 does not
        ([1], 0.8, 1),
        ([0, 3], 0.5, 3),  # half agree 3 is reached
        ([0, 3], 0.51, 0),
        ([1, 2, 3], 2 / 3, 2),
    ],
)
def test_worked_examples(votes, agreement, expected):
    assert suggest_level(votes, agreement) == expected


def test_it_is_exact_for_a_tenth():
    # 0.1 as a float is a hair above one tenth; 1 of 10 must still meet it.
    assert suggest_level([3] + [0] * 9, 0.1) == 3
    assert suggest_level([3, 3, 3] + [0] * 7, 0.3) == 3


def test_it_accepts_decimal_agreement():
    assert suggest_level([3] * 7 + [1] * 3, Decimal("0.70")) == 3


def test_it_returns_none_without_votes():
    assert suggest_level([], 0.8) is None


@pytest.mark.parametrize("bad", [0, 0.0, -0.1, 1.01, 2])
def test_it_rejects_agreement_out_of_range(bad):
    with pytest.raises(ValueError):
        suggest_level([1, 2], bad)


def test_summary_counts_not_sure_apart():
    summary = summarise([0, 1, 1, 2, None, None], 0.8)
    assert summary.counts == (1, 2, 1, 0)
    assert (summary.n, summary.not_sure) == (4, 2)
    assert (summary.minimum, summary.maximum, summary.median, summary.mean) == (0, 2, 1.0, 1.0)
    assert summary.spread == 2 and summary.needs_discussion
    assert summary.suggestion == 0  # 3 of 4 at 1 or above is under 0.8


def test_summary_of_unanimous_room_needs_no_discussion():
    summary = summarise([2, 2, 2])
    assert not summary.needs_discussion and summary.suggestion == 2


def test_summary_of_no_votes():
    summary = summarise([None])
    assert summary.n == 0 and summary.suggestion is None and not summary.needs_discussion


def test_summary_rejects_levels_outside_the_framework():
    with pytest.raises(ValueError, match="outside"):
        summarise([1, 4])


def test_expand_counts():
    assert expand_counts({2: 2, 0: 1}) == [0, 2, 2]


@pytest.mark.parametrize(
    "agreement,words",
    [
        (0.8, "at least 8 in 10 agree this level has been reached"),
        (1.0, "everyone agrees this level has been reached"),
        (0.75, "at least 3 in 4 agree this level has been reached"),
        (0.5, "at least 5 in 10 agree this level has been reached"),
        (Decimal("0.67"), "at least 67 in 100 agree this level has been reached"),
    ],
)
def test_agreement_in_words(agreement, words):
    assert agreement_in_words(agreement) == words


@given(votes_st, agreement_st)
def test_the_suggestion_lies_between_min_and_max(votes, agreement):
    assert min(votes) <= suggest_level(votes, agreement) <= max(votes)


@given(votes_st)
def test_full_agreement_gives_the_minimum(votes):
    assert suggest_level(votes, 1.0) == min(votes)


@given(votes_st, agreement_st, agreement_st)
def test_higher_agreement_never_gives_a_higher_level(votes, a, b):
    low, high = sorted([a, b])
    assert suggest_level(votes, high) <= suggest_level(votes, low)


@given(votes_st, agreement_st, st.integers(min_value=0, max_value=3))
def test_a_vote_above_the_suggestion_never_lowers_it(votes, agreement, extra):
    before = suggest_level(votes, agreement)
    if extra > before:
        assert suggest_level(votes + [extra], agreement) >= before


@given(votes_st, agreement_st)
def test_the_suggestion_meets_the_agreement_and_one_higher_does_not(votes, agreement):
    from fractions import Fraction

    share = Fraction(repr(agreement))
    level = suggest_level(votes, agreement)
    assert Fraction(sum(v >= level for v in votes), len(votes)) >= share
    above = [v for v in set(votes) if v > level]
    for higher in above:
        assert Fraction(sum(v >= higher for v in votes), len(votes)) < share


SECTORS = [("school", "School"), ("nhs", "NHS"), ("la", "Local authority"), ("other", "Other")]


def test_sector_breakdown_merges_small_sectors_into_other():
    ballots = [("school", 2)] * 3 + [("nhs", 1)] * 2 + [("la", 0)] + [("other", 3)] + [("school", None)]
    result = sector_breakdown(ballots, SECTORS)
    assert [(r.label, r.counts) for r in result.rows] == [
        ("School", (0, 0, 3, 0)),
        ("Other", (1, 2, 0, 1)),  # NHS (2) + local authority (1) + other (1)
    ]
    assert result.withheld == 0


def test_sector_breakdown_withholds_a_merged_group_still_too_small():
    ballots = [("school", 2)] * 4 + [("nhs", 1)] * 2
    result = sector_breakdown(ballots, SECTORS)
    assert [r.label for r in result.rows] == ["School"]
    assert result.withheld == 2


def test_sector_breakdown_counts_only_levels_not_not_sure():
    result = sector_breakdown([("school", None)] * 5, SECTORS)
    assert result.rows == () and result.withheld == 0


def test_sector_breakdown_rejects_levels_outside_the_framework():
    with pytest.raises(ValueError):
        sector_breakdown([("school", 7)], SECTORS)


@given(st.lists(st.tuples(st.sampled_from(["school", "nhs", "la", "other"]), st.integers(0, 3)), max_size=40))
def test_no_sector_row_shows_fewer_than_three_voters_and_nothing_is_lost(ballots):
    result = sector_breakdown(ballots, SECTORS)
    assert all(row.n >= 3 for row in result.rows)
    assert sum(row.n for row in result.rows) + result.withheld == len(ballots)
