from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from ratings.models import Consensus
from workshops.models import Area, Programme, Workshop

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_data(capsys):
    call_command("seed_demo")
    first = (
        Workshop.objects.count(),
        Area.objects.count(),
        Programme.objects.count(),
        Consensus.objects.count(),
    )
    call_command("seed_demo")
    second = (
        Workshop.objects.count(),
        Area.objects.count(),
        Programme.objects.count(),
        Consensus.objects.count(),
    )
    assert first == second
    demo = Workshop.objects.filter(programme__name="Demo programme 2026")
    assert demo.count() == 2
    assert Consensus.objects.filter(workshop__in=demo).count() == 7
    out = capsys.readouterr().out
    assert "password cascade-facilitator" in out
    baseline = demo.get(phase=1)
    from ratings.results import workshop_results

    for result in workshop_results(baseline).domains:
        # The demo votes support the agreed level under the workshop's rule.
        assert result.summary.n == 9 and result.summary.suggestion == result.level
    assert baseline.status == Workshop.Status.CLOSED
    assert demo.get(phase=2).status == Workshop.Status.DRAFT


def test_check_deploy_is_clean_in_production():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "cascade.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://cascade.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
