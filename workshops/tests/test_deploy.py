from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_in_production():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": "a-production-secret-that-is-long-and-random-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "cascade.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://cascade.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",  # not contacted by the checks
        "SECURE_PROXY_SSL_HEADER": "1",
        "TRUSTED_PROXIES": "127.0.0.1",
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
