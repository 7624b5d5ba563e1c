"""The agreement share of a workshop, in exact fractions and in words (pure functions).

Kept in the lowest app because a workshop shows its own agreement share in words; the
consensus rule (`ratings.consensus`) uses the same exact reading of the share.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

DEFAULT_AGREEMENT = 0.8


def _exact(agreement: float | Decimal | Fraction) -> Fraction:
    """The agreement share as an exact fraction: 0.7 means 7/10, not 0.69999…"""
    if isinstance(agreement, bool):
        raise ValueError("agreement must be a number with 0 < agreement <= 1")
    if isinstance(agreement, Fraction | Decimal | int):
        share = Fraction(agreement)
    elif isinstance(agreement, float):
        share = Fraction(repr(agreement))
    else:
        raise ValueError("agreement must be a number with 0 < agreement <= 1")
    if not 0 < share <= 1:
        raise ValueError(f"agreement must satisfy 0 < agreement <= 1, got {agreement}")
    return share


def agreement_in_words(agreement: float | Decimal = DEFAULT_AGREEMENT) -> str:
    """'at least 8 in 10 agree this level has been reached'."""
    share = _exact(agreement)
    if share == 1:
        return "everyone agrees this level has been reached"
    tenths = share * 10
    if tenths.denominator == 1:
        words = f"{tenths.numerator} in 10"
    else:
        words = f"{share.numerator} in {share.denominator}"
    return f"at least {words} agree this level has been reached"
