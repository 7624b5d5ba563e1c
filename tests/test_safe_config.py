"""With DEBUG off the app refuses to start without a real SECRET_KEY (issue 9, section 4) or with
a weak one (issue 21: `SECRET_KEY=short` started).

Before, `check --deploy` passed with DEBUG=0 and no key, and cookies were signed with the key
written in settings.py. Run as subprocesses: settings are read once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cascade_site.settings import DEVELOPMENT_SECRET_KEY

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "cascade.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cascade.example.org",
}


def _check(**overrides: str | None) -> subprocess.CompletedProcess:
    unset = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    for key, value in overrides.items():
        if value is not None:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "secret_key", [None, "", "   ", DEVELOPMENT_SECRET_KEY], ids=["unset", "empty", "blank", "development"]
)
def test_it_refuses_to_start_in_production_without_a_real_key(secret_key):
    result = _check(**PRODUCTION, SECRET_KEY=secret_key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert "refuses to start" in result.stderr


@pytest.mark.parametrize(
    "secret_key",
    [
        "short",
        "s3cret-but-49-characters-long-0123456789abcdefghi",
        "ab" * 40,
        "django-insecure-" + "x1y2z3" * 9,
    ],
    ids=["short", "49-characters", "2-distinct-characters", "django-insecure-prefix"],
)
def test_it_refuses_to_start_in_production_with_a_weak_key(secret_key):
    """Django's own rule (security.W009), enforced: a short or repetitive key can be guessed."""
    result = _check(**PRODUCTION, SECRET_KEY=secret_key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is too weak" in result.stderr
    assert "at least 50 characters" in result.stderr and "5 different characters" in result.stderr
    assert secret_key not in result.stderr  # the message never repeats the key


def test_a_key_of_exactly_50_characters_with_5_different_ones_starts():
    result = _check(**PRODUCTION, SECRET_KEY="abcde" * 10)
    assert result.returncode == 0, result.stderr


def test_it_starts_in_production_with_a_key():
    result = _check(**PRODUCTION, SECRET_KEY="a-production-secret-that-is-long-and-random-0123456789-abcdef")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_runs_with_the_development_key():
    result = _check(DEBUG=None, SECRET_KEY=None)
    assert result.returncode == 0, result.stderr


def _check_deploy(**overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}}
    env.update({**PRODUCTION, "SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789-abc"})
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_warns_without_redis():
    result = _check_deploy()
    assert result.returncode != 0
    assert "cascade.W001" in result.stderr and "REDIS_URL is not set" in result.stderr
    assert "cascade.W002" not in result.stderr


def test_check_deploy_warns_behind_a_proxy_without_trusted_proxies():
    result = _check_deploy(REDIS_URL="redis://127.0.0.1:6379/0", SECURE_PROXY_SSL_HEADER="1")
    assert result.returncode != 0
    assert "cascade.W002" in result.stderr and "TRUSTED_PROXIES is empty" in result.stderr
    assert "cascade.W001" not in result.stderr
    fixed = _check_deploy(
        REDIS_URL="redis://127.0.0.1:6379/0", SECURE_PROXY_SSL_HEADER="1", TRUSTED_PROXIES="127.0.0.1"
    )
    assert fixed.returncode == 0, fixed.stderr
