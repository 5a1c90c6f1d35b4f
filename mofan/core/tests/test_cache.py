"""The Redis cache keeps one client per connection pool (run where REDIS_URL is set: the
PostgreSQL + Redis suite of CI)."""

import os

import pytest
from django.conf import settings
from django.core.cache import caches

from mofan.core.cache import SharedClientRedisCache

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL), as in CI's second suite"
)


def test_the_production_cache_is_the_shared_client_backend():
    assert settings.CACHES["default"]["BACKEND"] == "mofan.core.cache.SharedClientRedisCache"
    assert isinstance(caches["default"], SharedClientRedisCache)


def test_one_client_serves_every_operation_and_values_round_trip():
    cache = SharedClientRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-shared-client"})
    first = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is first
    assert cache._cache.get_client("other", write=True) is first
    cache.set("answer", {"值": 42}, 30)
    assert cache.get("answer") == {"值": 42}
    assert cache.add("answer", 1, 30) is False
    cache.delete("answer")
    assert cache.get("answer", "gone") == "gone"
    assert cache._cache.get_client() is first
