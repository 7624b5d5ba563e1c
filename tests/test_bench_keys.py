"""bench/room_keys.py (issue 23): the keyboard room meets its targets and says so when it misses."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "room_keys.py"


def _bench():
    sys.path.insert(0, str(BENCH.parent))
    spec = importlib.util.spec_from_file_location("room_keys", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["room_keys"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_a_small_keyboard_room_takes_two_keys_per_agreeing_domain(reference_data):
    bench = _bench()
    result = bench.run_keys(participants=6, vote_seconds=8.0, seed=3)
    assert [d.code for d in result.domains] == ["C1", "A1", "S", "C2", "A2", "D", "E"]
    assert [d.keys for d in result.domains[:4]] == [["C", "N"]] * 4  # arrives revealed; C; N
    assert all(d.keys[0] == "V" and d.keys[-2:] != ["N", "N"] for d in result.domains[4:])
    assert result.scrolls == 0 and all(d.clicks == 0 for d in result.domains)
    assert result.met == (result.mechanics_seconds < 30)


def test_a_miss_is_reported(capsys):
    bench = _bench()
    result = bench.Result(participants=30, vote_seconds=8.0)
    result.domains = [bench.Domain("C1", split=False, keys=["R", "C", "N"])]
    assert not result.met
    bench.report(result)
    assert "targets NOT met" in capsys.readouterr().out
