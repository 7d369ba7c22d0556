from django.contrib.sessions.backends.cache import SessionStore as CacheSessionStore

from core.sessions import WriteOnceMixin


class SessionStore(WriteOnceMixin, CacheSessionStore):
    """Sessions in the cache (Redis), written once per request."""
