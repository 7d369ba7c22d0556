from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from core.sessions import WriteOnceMixin


class SessionStore(WriteOnceMixin, DatabaseSessionStore):
    """Sessions in the database, written once per request."""
