"""Deployment checks (`manage.py check --deploy`) for the settings that make the throttles work.

Both mistakes pass silently at run time: without Redis each gunicorn process counts join-code
guesses on its own, and behind a proxy without TRUSTED_PROXIES every phone in the hall shares
the proxy's address, so 30 typos anywhere stop everyone joining.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[Warning]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith("LocMemCache"):
        return [
            Warning(
                "REDIS_URL is not set: the cache is in each process's memory, so with more than one "
                "gunicorn worker or server the join-code throttle counts per process.",
                hint="Set REDIS_URL, e.g. redis://127.0.0.1:6379/0.",
                id="cascade.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs, **kwargs) -> list[Warning]:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not getattr(settings, "TRUSTED_PROXIES", []):
        return [
            Warning(
                "SECURE_PROXY_SSL_HEADER is set but TRUSTED_PROXIES is empty: X-Forwarded-For is ignored, "
                "so every client behind the proxy shares its address for the join-code and log-in throttles.",
                hint="Set TRUSTED_PROXIES to the proxy's address, e.g. 127.0.0.1.",
                id="cascade.W002",
            )
        ]
    return []
