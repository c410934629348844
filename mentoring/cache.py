"""The Redis cache, degraded instead of failing while Redis is down.

Redis holds the broker's queue *and* the cache (another logical database). When it is
unreachable, a plain ``RedisCache`` raises on every call, and every page that touches the
cache answers 500: signing in (allauth counts attempts there), among others. This backend
behaves as an empty cache instead: reads miss, writes are dropped, ``add`` reports
success (so allauth's lock and the metrics debounce go ahead: rate limits are not
counted during the outage, refreshes are scheduled without debounce). Each failure is
logged as a warning.
"""

import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ResilientRedisCache(RedisCache):
    def _degraded(self, op: str, exc: Exception, result: Any) -> Any:
        logger.warning("Cache unavailable (%s: %s): treated as a miss", op, exc.__class__.__name__)
        return result

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            return self._degraded("get", exc, default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as exc:
            return self._degraded("get_many", exc, {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError as exc:
            return self._degraded("has_key", exc, False)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as exc:
            return self._degraded("add", exc, True)

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except RedisError as exc:
            return self._degraded("set", exc, None)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError as exc:
            return self._degraded("set_many", exc, list(data))

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError as exc:
            return self._degraded("touch", exc, False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as exc:
            return self._degraded("delete", exc, False)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except RedisError as exc:
            return self._degraded("delete_many", exc, None)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            return self._degraded("incr", exc, delta)
