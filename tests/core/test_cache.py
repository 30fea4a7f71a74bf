from __future__ import annotations

import redis

from core.cache import RedisCache


def test_one_redis_client_per_pool_not_per_call():
    cache = RedisCache("redis://127.0.0.1:6379/5", {})
    client = cache._cache.get_client()
    assert isinstance(client, redis.Redis)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("key") is client


def test_each_server_keeps_its_own_client():
    cache = RedisCache("redis://127.0.0.1:6379/5,redis://127.0.0.1:6379/6", {})
    writer = cache._cache.get_client(write=True)
    assert writer.connection_pool.connection_kwargs["db"] == 5
    assert cache._cache.get_client(write=True) is writer
