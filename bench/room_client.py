"""HTTP pieces of the room benchmark (bench/room.py): a thread-per-phone client over http.client.

The 1,000-phone benchmark (bench/live_votes.py) uses an asyncio client instead; a room of 30
needs no more than this, and its timings are per request, as a phone sees them.
"""

from __future__ import annotations

import http.client
import socket
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from servers import create_database  # noqa: F401 (room.py takes it from here)

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # loopback only


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(seconds * 1000)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Phone:
    """One participant's HTTP/1.1 keep-alive connection with its own cookie jar."""

    def __init__(self, port: int, stats: Stats) -> None:
        self.port = port
        self.stats = stats
        self.conn = http.client.HTTPConnection(HOST, port, timeout=20)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        hdrs = {"Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                response = self.conn.getresponse()
                text = response.read().decode()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=20)
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location"), text

    def close(self) -> None:
        self.conn.close()
