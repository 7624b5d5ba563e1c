"""Real app-server processes for the tests that need more than one process (shared cache,
database outage): gunicorn on 127.0.0.1, ports from OPS_TEST_PORTS (default 18100-18199).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
SECRET_KEY = "test-servers-only-" + "k" * 50


def _port_range() -> range:
    low, high = os.environ.get("OPS_TEST_PORTS", "18100-18199").split("-")
    return range(int(low), int(high) + 1)


def free_port() -> int:
    for port in _port_range():
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in OPS_TEST_PORTS")


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    unset = {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "TRUSTED_PROXIES", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "CONN_MAX_AGE": "60",
            **extra,
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=120, capture_output=True
    )


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """One gunicorn (1 worker, 2 threads) until the block ends; yields its base URL."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cascade_site.wsgi", "--bind", f"{HOST}:{port}"]
            + ["--workers", "1", "--worker-class", "gthread", "--threads", "2", "--timeout", "30"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(OSError):
                socket.create_connection((HOST, port), timeout=1).close()
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies and CSRF like a phone's browser, shared across servers on the same host."""

    def __init__(self, headers: dict[str, str] | None = None):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        self.headers = headers or {}

    def request(self, url: str, data: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=self.headers)
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def csrf_token(self, url: str) -> str:
        status, html, _ = self.request(url)
        assert status == 200, html[:500]
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
