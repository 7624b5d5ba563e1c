"""The live benchmark's CPU accounting (bench/loadclient.py): what a slice spent, by program."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

# Loaded from its file: bench/ on sys.path would shadow the apps (bench/reports.py).
_spec = importlib.util.spec_from_file_location(
    "bench_loadclient", Path(__file__).resolve().parent.parent / "bench" / "loadclient.py"
)
loadclient = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = loadclient  # its dataclasses look their module up
_spec.loader.exec_module(loadclient)
cpu_by_process, cpu_spent = loadclient.cpu_by_process, loadclient.cpu_spent


def test_it_counts_only_what_a_process_spent_between_readings():
    before = {"10": ("gunicorn", 5.0), "11": ("gunicorn", 7.0), "20": ("postgres", 1.0)}
    after = {"10": ("gunicorn", 5.5), "11": ("gunicorn", 7.25), "20": ("postgres", 1.5)}
    assert cpu_spent(before, after) == {"gunicorn": 0.75, "postgres": 0.5}


def test_a_process_that_changed_its_name_counts_its_slice_not_its_lifetime():
    # Kernel workers are renamed after the work item they last ran; the pid stays.
    before = {"30": ("kworker/u8:0-writeback", 120.0)}
    after = {"30": ("kworker/u8:0-events_unbound", 120.25)}
    assert cpu_spent(before, after) == {"kworker/u8:0-events_unbound": 0.25}


def test_a_new_process_counts_from_nothing_and_a_gone_one_is_left_out():
    before = {"40": ("python", 2.0)}
    after = {"41": ("nginx", 0.25)}
    assert cpu_spent(before, after) == {"nginx": 0.25}


def test_it_reads_this_machine_and_names_the_client_itself():
    seen = cpu_by_process()
    names = {name for name, _ in seen.values()}
    assert "load client" in names
    assert not any(name.startswith("kworker") for name in names)
