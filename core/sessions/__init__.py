"""Session stores that write a session once per request (SESSION_ENGINE = "core.sessions.db"
or "core.sessions.cache").

Django's stores write a session twice on login: cycle_key() stores the data under a new key at
once, after a read to check that the random key is free, then the response writes the
logged-in data over it. Here cycle_key() draws the new key at once, so that `session_key` is
right as soon as login() returns (ending a space's other sessions needs to know which one is
this), and the row is created when the response saves the session: one write, no read
(measured: 1.4 ms of CPU a login, docs/decisions.md "Login at its physical limit").
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.utils.crypto import get_random_string


class WriteOnceMixin:
    # The key cycle_key() drew and no store holds yet: its first save creates it.
    _unstored_key = None

    def _get_new_session_key(self):
        # 32 characters out of 36 (165 bits): a clash is never expected, and the store of a
        # new session (save(must_create=True): an INSERT, or a cache add) refuses one anyway.
        # No read before the write.
        return get_random_string(32, VALID_KEY_CHARS)

    def cycle_key(self):
        """Drop the old key now; the data has its new key at once, stored by the next save."""
        data = self._session
        key = self.session_key
        self._session_key = self._unstored_key = self._get_new_session_key()
        self._session_cache = data
        self.modified = True
        if key:
            self.delete(key)

    def save(self, must_create=False):
        if self.session_key is None or self.session_key != self._unstored_key:
            return super().save(must_create=must_create)
        self._unstored_key = None
        try:
            return self.save(must_create=True)  # the store's creation: refused for a taken key
        except CreateError:
            # Never expected (165 random bits): the session gets another key, as create() draws.
            self._session_key = None
            return self.save()
