"""Start and stop what the live benchmark measures: gunicorn instances and an nginx in front.

Everything listens on 127.0.0.1 only, runs as a child of the benchmark in its own process
group, and is killed in `stop_all` whatever happened.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

BENCH_URLS = '''
from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    """The reference: a Django view that does nothing, through the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), path("", include("cascade_site.urls"))]
'''

NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 8192; }}
worker_rlimit_nofile 20000;
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    keepalive_timeout 75s;
    keepalive_requests 100000;
    upstream cascade {{
{servers}
        keepalive 128;
    }}
    server {{
        listen {host}:{port} backlog=4096;
        location /static/ {{
            alias {static_root}/;
            gzip_static on;
            expires 60s;
            add_header X-Content-Type-Options nosniff always;
            location ~ "\\.[0-9a-f]{{12}}\\.[a-z0-9]+$" {{ expires max; }}
        }}
        location / {{
            proxy_pass http://cascade;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 30s;
        }}
    }}
}}
"""


def create_database(url: str) -> None:
    """Drop and create the throw-away benchmark database (its name must say 'bench')."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name) or "bench" not in name:
        raise SystemExit(f"refusing to recreate database {name!r}: its name must contain 'bench'")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres", dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {name}")
    admin.close()


STATIC_ROOT = Path(tempfile.gettempdir()) / "cascade-live-bench-static"  # kept: collectstatic is slow


def write_settings(tmp: Path) -> None:
    (tmp / "bench_live_urls.py").write_text(BENCH_URLS)
    (tmp / "bench_live_settings.py").write_text(
        "from cascade_site.settings import *  # noqa: F403\n"
        f"STATIC_ROOT = {str(STATIC_ROOT)!r}\n"
        "ROOT_URLCONF = 'bench_live_urls'\n"
        "LOGGING['root']['level'] = 'ERROR'  # noqa: F405\n"
    )


def wait_for_port(port: int, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answers on {HOST}:{port}")


def start_gunicorn(port: int, env: dict, tmp: Path, workers: int, worker_class: str, threads: int):
    log = open(tmp / f"gunicorn-{port}.log", "w")  # noqa: SIM115 - the process owns it
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "cascade_site.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--keep-alive",
        "75",
        "--backlog",
        "4096",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--worker-tmp-dir",
        "/dev/shm",
        "--no-control-socket",  # two instances on one host would share ~/.gunicorn/gunicorn.ctl
    ]
    if worker_class == "gthread":
        cmd += ["--threads", str(threads), "--worker-connections", "4000"]
    return subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def nginx_path() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def start_nginx(port: int, upstream_ports: list[int], tmp: Path):
    binary = nginx_path()
    if binary is None:
        raise SystemExit(
            "--servers 2 needs nginx from Debian in front of the app servers: apt-get install nginx-light"
        )
    os.chmod(tmp, 0o755)  # nginx's worker runs as an unprivileged user when started as root
    servers = "\n".join(f"        server {HOST}:{p};" for p in upstream_ports)
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(tmp=tmp, servers=servers, host=HOST, port=port, static_root=STATIC_ROOT)
    )
    log = open(tmp / "nginx.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        [binary, "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_all(processes: list) -> None:
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
