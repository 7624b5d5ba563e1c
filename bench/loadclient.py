"""A small asyncio HTTP/1.1 client for the live benchmark: one keep-alive connection per phone.

The load client shares the machine's two cores with the servers it measures, so it must cost
little: one event loop, raw asyncio streams, no threads per phone, no third-party package.
It speaks just enough HTTP/1.1 for Django behind gunicorn or nginx: Content-Length, chunked
bodies and 204/304 without a body.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

TIMEOUT = 20.0  # one request; a slower answer counts as an error


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass
class Stats:
    """Latencies in milliseconds per kind, and every error as text."""

    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.times.setdefault(kind, []).append(seconds * 1000)

    def error(self, text: str) -> None:
        self.errors.append(text)

    def line(self, kind: str) -> str:
        values = self.times.get(kind, [])
        if not values:
            return f"{kind:>16}: none"
        return (
            f"{kind:>16}: n={len(values):6d}  p50={percentile(values, 50):7.1f} ms  "
            f"p95={percentile(values, 95):7.1f} ms  p99={percentile(values, 99):7.1f} ms  "
            f"max={max(values):7.1f} ms"
        )


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    cookies: dict[str, str]


class Connection:
    """One browser: a keep-alive connection and a cookie jar. Not safe for concurrent use."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def request(
        self, method: str, path: str, form: dict | None = None, headers: dict | None = None
    ) -> Response:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        body = b""
        if form is not None:
            body = urlencode(form).encode()
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        for attempt in (1, 2):
            fresh = self.writer is None
            if fresh:
                await self._connect()
            try:
                self.writer.write(raw)
                return await asyncio.wait_for(self._read(method), TIMEOUT)
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                self.close()
                if fresh or attempt == 2:  # a reused idle connection may have been closed: retry once
                    raise ConnectionError(f"{method} {path}: {exc!r}") from exc
            except TimeoutError:
                self.close()
                raise
        raise AssertionError("unreachable")

    async def _read(self, method: str) -> Response:
        reader = self.reader
        status_line = await reader.readuntil(b"\r\n")
        if not status_line:
            raise ConnectionResetError("closed")
        status = int(status_line.split(b" ", 2)[1])
        headers: dict[str, str] = {}
        cookies: dict[str, str] = {}
        while True:
            line = await reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cname, _, rest = value.partition("=")
                cookies[cname.strip()] = rest.split(";", 1)[0]
            headers[name] = value
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            data = b""
        elif "content-length" in headers:
            data = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    break
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            data = b"".join(chunks)
        else:
            data = await reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        self.cookies.update(cookies)
        return Response(status, headers, data.decode("utf-8", "replace"), cookies)


async def closed_loop(
    make,
    kind: str,
    stats: Stats,
    seconds: float,
    concurrency: int,
    ok_status: set[int],
    keep_open: bool = False,
) -> float:
    """`concurrency` clients each send `make(i)`'s request back to back for `seconds`.

    Returns requests per second answered with an expected status; latencies go to `stats`.
    With `keep_open` the connections stay open for the caller's next measurement.
    """
    done = 0
    end = time.perf_counter() + seconds

    async def worker(i: int) -> None:
        nonlocal done
        conn, request = await make(i)
        try:
            while time.perf_counter() < end:
                started = time.perf_counter()
                method, path, form, headers = request()
                try:
                    response = await conn.request(method, path, form, headers)
                except (TimeoutError, ConnectionError) as exc:
                    stats.error(f"{kind}: {exc!r}")
                    continue
                if response.status in ok_status:
                    stats.add(kind, time.perf_counter() - started)
                    done += 1
                else:
                    stats.error(f"{kind} answered {response.status}")
        finally:
            if not keep_open:
                conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return done / (time.perf_counter() - started)


def cpu_by_process() -> dict[str, tuple[str, float]]:
    """CPU seconds so far of every process on the machine by pid, with its program name (Linux
    /proc): where a request's time goes (app server, database, cache, proxy, this client)."""
    tick = os.sysconf("SC_CLK_TCK")
    seen: dict[str, tuple[str, float]] = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if pid == str(os.getpid()):
            name = "load client"
        elif name.startswith("postgres"):
            name = "postgres"
        elif name.startswith("kworker"):
            name = "kernel workers"  # their names change with the work item they last ran
        seen[pid] = (name, (int(fields[11]) + int(fields[12])) / tick)
    return seen


def cpu_spent(before: dict[str, tuple[str, float]], after: dict[str, tuple[str, float]]) -> dict[str, float]:
    """CPU seconds spent between two cpu_by_process() readings, summed by program name; compared
    pid by pid, so a process counts only what it spent in between."""
    spent: dict[str, float] = {}
    for pid, (name, seconds) in after.items():
        delta = seconds - before.get(pid, (name, 0.0))[1]
        if delta > 0:
            spent[name] = spent.get(name, 0.0) + delta
    return spent


def cpu_reference_ms(rounds: int = 3) -> float:
    """A fixed pure-Python loop, fastest of `rounds`, in ms: how fast this machine runs Python
    today. The same 2-core machine has run the benchmark up to three times slower on some days
    than on others, so each run prints it beside the load average (BENCHMARKS.md)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best * 1000
