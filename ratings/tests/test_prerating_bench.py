"""bench/room_prerated.py drives the real views: a small run agrees all seven domains."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench" / "room_prerated.py"


def _bench():
    spec = importlib.util.spec_from_file_location("room_prerated", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["room_prerated"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_a_small_pre_rated_room_takes_three_actions_per_agreeing_domain(reference_data):
    """Reveal, confirm and Next: confirming no longer moves on by itself (issue 23)."""
    bench = _bench()
    result = bench.run_prerated(participants=6, vote_seconds=8.0, seed=3)
    assert len(result.levels) == 7
    agreed_without_vote = [w for w in result.how_reached.values() if w.endswith("without a live vote")]
    assert len(agreed_without_vote) == 7 - result.live_rounds
    assert result.actions == 3 * 7 + 2 * result.live_rounds
    assert result.met == (result.actions <= 25 and result.mechanics_seconds < 30)


def test_a_miss_is_reported(capsys):
    bench = _bench()
    result = bench.Result(participants=30, actions=26, levels=dict.fromkeys("ABCDEFG", 1))
    assert not result.met
    result.pre_rating_ms = [1.0]
    bench.report(result)
    assert "targets NOT met" in capsys.readouterr().out
