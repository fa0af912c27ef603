"""System checks for what production would otherwise discover on its first visitor.

Each one is a setting that looks fine on its own and breaks the site at run time: a Redis cache
without the client library (every login and campaign page answers 500), a Redis server that
does not answer (the same), and a proxy in front of the platform without the header that tells
visitors apart (every rate limit becomes one limit for the whole site). They are registered by
the pages app (pages/apps.py), the only layer that may import them all.
"""

import importlib.util

from django.conf import settings
from django.core import checks

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
# A check waits this long for Redis: long enough for a server on the same network, short
# enough that `check --deploy` does not hang on a firewall that drops packets.
REDIS_TIMEOUT_SECONDS = 2


def _redis_locations() -> list[tuple[str, str]]:
    found = []
    for alias, config in settings.CACHES.items():
        if config.get("BACKEND") != REDIS_BACKEND:
            continue
        location = config.get("LOCATION", "")
        urls = location if isinstance(location, list | tuple) else str(location).split(",")
        found.extend((alias, url.strip()) for url in urls if url.strip())
    return found


def _redis_importable() -> bool:
    return importlib.util.find_spec("redis") is not None


@checks.register(checks.Tags.caches)
def check_redis_client(app_configs=None, **kwargs) -> list:
    """Not only with --deploy: any command run with REDIS_URL should say it cannot work."""
    if not _redis_locations() or _redis_importable():
        return []
    return [
        checks.Error(
            "REDIS_URL is set but the redis client library is not installed: every page using the "
            "cache (logins, campaign pages, rate limits) would answer 500.",
            hint="Install the platform with its dependencies (pip install .), or pip install redis.",
            id="technopolice.E001",
        )
    ]


@checks.register(checks.Tags.caches, deploy=True)
def check_redis_server(app_configs=None, **kwargs) -> list:
    """An error, not a warning: without its cache the site answers 500 on every login."""
    if not _redis_importable():
        return []
    import redis

    errors = []
    for alias, url in _redis_locations():
        try:
            client = redis.Redis.from_url(
                url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
            )
            client.ping()
            client.close()
        except (redis.RedisError, OSError, ValueError) as error:
            errors.append(
                checks.Error(
                    f"The Redis server of cache {alias!r} does not answer ({type(error).__name__}: {error}).",
                    hint="Start Redis (systemctl start redis-server) or correct REDIS_URL.",
                    id="technopolice.E002",
                )
            )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_proxy_client_header(app_configs=None, **kwargs) -> list:
    """Trusting a proxy's X-Forwarded-Proto says the platform is behind one; then it must say how
    many proxies fill X-Forwarded-For (lib/ratelimit.py), or every visitor is the proxy."""
    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return []
    if getattr(settings, "TRUSTED_PROXY_COUNT", 0) > 0:
        return []
    return [
        checks.Error(
            "The platform runs behind a proxy (SECURE_PROXY_SSL_HEADER is set) but TRUSTED_PROXY_COUNT "
            "is 0: every visitor would arrive with the proxy's address and share one rate limit.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append the client's address to "
            "X-Forwarded-For (1 for the nginx of docs/production.md, section 5).",
            id="technopolice.E003",
        )
    ]
