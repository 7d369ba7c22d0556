"""Session stores that write a session once per request (SESSION_ENGINE = "core.sessions.db"
or "core.sessions.cache").

Django's stores write a session twice on login: cycle_key() stores the data under a new key at
once, after a read to check that the random key is free, then the response writes the
logged-in data over it. Here cycle_key() only forgets the old key, and the new one is drawn
when the response saves the session: one write, no read.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils.crypto import get_random_string


class WriteOnceMixin:
    def _get_new_session_key(self):
        # 32 characters out of 36 (165 bits): a clash is never expected, and the store of a
        # new session (save(must_create=True): an INSERT, or a cache add) refuses one anyway,
        # making create() draw again. No read before the write.
        return get_random_string(32, VALID_KEY_CHARS)

    def cycle_key(self):
        """Drop the old key now; the data gets a new key when the response saves it."""
        data = self._session
        key = self.session_key
        self._session_key = None
        self._session_cache = data
        self.modified = True
        if key:
            self.delete(key)
