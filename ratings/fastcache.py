"""The phones' hot path through the shared cache without Django's per-call client.

Django's RedisCache builds a new redis-py client object on every call, which cost half of an
unchanged poll; these keep one per cache backend instance (Django makes one per thread) on the
same connection pool, with the backend's own key and serializer. Other backends (local memory
in development) go through the ordinary cache API.
"""

from __future__ import annotations

import weakref

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _redis(backend: RedisCache):
    pair = _clients.get(backend)
    if pair is None:
        pair = (backend._cache.get_client(write=True), backend._cache._serializer)
        _clients[backend] = pair
    return pair


def get(key: str):
    """cache.get for the hot path."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return backend.get(key)
    client, serializer = _redis(backend)
    value = client.get(backend.make_and_validate_key(key))
    return None if value is None else serializer.loads(value)


def add(key: str, value, timeout: int) -> bool:
    """cache.add for the hot path: True when the key was not there and is now set."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return backend.add(key, value, timeout)
    client, serializer = _redis(backend)
    return bool(client.set(backend.make_and_validate_key(key), serializer.dumps(value), ex=timeout, nx=True))
