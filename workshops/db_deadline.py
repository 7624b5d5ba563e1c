"""Every wait on PostgreSQL ends, so a hung database gives a 503 instead of a held thread.

`statement_timeout` (settings) makes a slow server give up on a statement, but a server that
no longer answers at all (hung, stopped, or behind a proxy that stops forwarding) is beyond its
reach, and beyond TCP's: its kernel keeps acknowledging, so keepalives and `tcp_user_timeout`
never fire. A thread holding such a connection waited 150 s in /healthz (issue 21). So every
reply is awaited here, through psycopg2's wait callback, for at most a deadline: the connect
timeout while connecting, the statement timeout and a margin after that, or less inside
`waiting_at_most` (/healthz). Past it psycopg2 closes the connection, Django opens a new one
on the next request, and the page is the plain 503 (cascade_site.unavailable). A request waits
out one deadline at most: the phones' early answers (ratings.fastpoll, fastvote) hand a failure
on to the full stack, which would otherwise wait to connect all over again.
"""

from __future__ import annotations

import contextlib
import contextvars
import select
import threading
import time
from collections.abc import Iterator

import psycopg2
from psycopg2 import extensions

# A statement the server cancels at statement_timeout still needs its error to come back.
REPLY_MARGIN_SECONDS = 2.0

_limit: contextvars.ContextVar[float | None] = contextvars.ContextVar("db_wait_limit", default=None)
_timeouts: dict[str, float | None] = {"connect": None, "reply": None}
_gave_up = threading.local()  # when this thread's last wait ran out, until its next request


def install(connect_timeout: float | None, statement_timeout: float | None) -> None:
    """Bound psycopg2's waits in this process (None or 0: that wait is not bounded)."""
    _timeouts["connect"] = connect_timeout or None
    _timeouts["reply"] = statement_timeout + REPLY_MARGIN_SECONDS if statement_timeout else None
    extensions.set_wait_callback(wait_with_deadline)


def new_request(**kwargs) -> None:
    """request_started: a new request may find the database back, so it tries again."""
    _gave_up.at = None


@contextlib.contextmanager
def waiting_at_most(seconds: float) -> Iterator[None]:
    """Within the block, no wait on the database (connecting included) lasts over `seconds`."""
    token = _limit.set(seconds)
    try:
        yield
    finally:
        _limit.reset(token)


def _timeout(conn) -> float | None:
    connecting = conn.status == extensions.STATUS_SETUP
    timeouts = [_timeouts["connect" if connecting else "reply"], _limit.get()]
    bounded = [seconds for seconds in timeouts if seconds is not None]
    return min(bounded) if bounded else None


def wait_with_deadline(conn) -> None:
    """psycopg2's wait callback: poll the socket until the reply is in, or the deadline passes.

    select.poll, not select.select: a worker holding over 1,024 phone sockets has larger fds.
    """
    timeout = _timeout(conn)
    now = time.monotonic()
    last = getattr(_gave_up, "at", None)
    if conn.status == extensions.STATUS_SETUP and last is not None and now - last < (timeout or 0):
        raise psycopg2.OperationalError("the database did not answer moments ago in this request")
    deadline = None if timeout is None else now + timeout
    while True:
        state = conn.poll()
        if state == extensions.POLL_OK:
            return
        if state == extensions.POLL_READ:
            events = select.POLLIN
        elif state == extensions.POLL_WRITE:
            events = select.POLLOUT
        else:
            raise psycopg2.OperationalError(f"unexpected state from poll: {state}")
        poller = select.poll()  # the socket may change while connecting (another address)
        poller.register(conn.fileno(), events)
        wait_ms = None if deadline is None else max(0.0, deadline - time.monotonic()) * 1000
        if not poller.poll(wait_ms):
            _gave_up.at = time.monotonic()
            raise psycopg2.OperationalError(f"the database did not answer within {timeout:g} s")
