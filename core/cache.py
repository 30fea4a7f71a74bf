"""Django's Redis cache, with one client object per connection pool instead of one per call.

django.core.cache.backends.redis builds a new `redis.Redis` for every cache operation; its
constructor copies about 170 response callbacks, which cost as much CPU as the command
itself. A page that reads the cache three or four times (session, the user's remembered
facts, the unread badge) paid that each time. `redis.Redis` is safe to share between
threads (each command takes a connection from the pool), so one per pool is kept.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClients
