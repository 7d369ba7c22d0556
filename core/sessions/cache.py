from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore

from core.sessions import WriteOnceMixin


class SessionStore(WriteOnceMixin, CacheSessionStore):
    """Sessions in the cache (Redis), written once per request."""

    def load(self):
        """Return the session's data, {} (and no key) when the store has none.

        Django's cache store takes any error of the cache for a missing session (memcache
        refuses some keys): with Redis away for a second, every signed-in person would be
        logged out and lose the cookie. Here an unreachable Redis is an error, answered by the
        503 page (core.views.errors.service_unavailable), and the session is there once Redis
        is back (issue 18 §4). The key is safe for Redis: Django keeps only a valid one.
        """
        data = self._cache.get(self.cache_key)
        if data is not None:
            return data
        self._session_key = None
        return {}
