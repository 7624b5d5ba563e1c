"""The errors that mean "the database or the shared cache cannot be reached right now".

The plain 503 page (cascade_site.unavailable) answers them; the phones' early answers
(ratings.fastpoll, ratings.fastvote) leave them to the full stack, which then does.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

try:  # the Redis client is installed with the app; the cache uses it only when REDIS_URL is set
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    UNREACHABLE: tuple[type[BaseException], ...] = (
        OperationalError,
        InterfaceError,
        RedisConnectionError,
        RedisTimeoutError,
    )
except ImportError:  # pragma: no cover
    UNREACHABLE = (OperationalError, InterfaceError)
