"""`make run PORT=8001` serves on that port (issue 23: the port was fixed at 8000)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _dry_run(*args: str) -> str:
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    done = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout


def test_make_run_takes_a_port():
    assert "runserver 127.0.0.1:8001" in _dry_run("PORT=8001")


def test_make_run_defaults_to_8000():
    assert "runserver 127.0.0.1:8000" in _dry_run()
