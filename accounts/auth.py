from django.contrib.auth.backends import BaseBackend

from accounts import selectors


class SpaceBackend(BaseBackend):
    """Load the space of a session. Credentials are checked by flows.login, not here,
    so that throttling, expiry and auditing cannot be bypassed by a bare authenticate()."""

    def get_user(self, user_id):
        return selectors.active_space(user_id)
