"""The phones' hot path through the shared cache without Django's per-call client.

Django's RedisCache builds a redis-py client on every call, and each command then takes a
connection from the pool, packs, sends, reads and puts it back: about 75 µs of CPU per command,
more than the rest of an unchanged poll. Here each cache backend instance (Django makes one
per thread) keeps one connection of its own to the same server, with the backend's own keys
and serializer: about 20 µs a command (bench notes in BENCHMARKS.md). Other backends (local
memory in development) go through the ordinary cache API.
"""

from __future__ import annotations

import weakref

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

_connections: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _call(backend: RedisCache, *commands: tuple) -> list:
    """Commands sent together on this backend's own connection, one round trip; their answers.

    Reconnects after any failure."""
    conn = _connections.get(backend)
    if conn is None:
        pool = backend._cache._get_connection_pool(True)
        conn = pool.connection_class(**pool.connection_kwargs)
        _connections[backend] = conn
    try:
        conn.send_packed_command(conn.pack_commands(commands), check_health=False)
        return [conn.read_response() for _ in commands]
    except BaseException:
        conn.disconnect()  # a half-read answer must not be read by the next command
        raise


def get(key: str):
    """cache.get for the hot path."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return backend.get(key)
    (value,) = _call(backend, ("GET", backend.make_and_validate_key(key)))
    return None if value is None else backend._cache._serializer.loads(value)


def add(key: str, value, timeout: int) -> bool:
    """cache.add for the hot path: True when the key was not there and is now set."""
    return add_and_get(key, value, timeout, None)[0]


def add_and_get(key: str, value, timeout: int, other: str | None):
    """cache.add of `key` and cache.get of `other` in one round trip: (added, other's value)."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return backend.add(key, value, timeout), None if other is None else backend.get(other)
    serializer = backend._cache._serializer
    commands = [("SET", backend.make_and_validate_key(key), serializer.dumps(value), "EX", timeout, "NX")]
    if other is not None:
        commands.append(("GET", backend.make_and_validate_key(other)))
    answers = _call(backend, *commands)
    found = answers[1] if other is not None else None
    return answers[0] is not None, None if found is None else serializer.loads(found)
