"""The settings of the nodes of tests/cluster/test_abuse.py: the product's own (config.settings),
whose Argon2id hasher also counts its verifications in the cluster's Redis (issue 18 §5).

The count is the hasher's own, kept apart from what the product records (the audit log, the
throttle's counters), so that the test compares three sources that do not share code. Only
``verify`` is counted: the dummy hash of an unknown email is made once per process by
``encode`` and then verified like any stored hash, so every Argon2id check of a password
passes here once.
"""

from config.settings import *  # noqa: F403
from accounts.hashers import Argon2idHasher

PASSWORD_HASHERS = ["tests.cluster.counting_settings.CountingArgon2idHasher"]
# The key the count is kept under, in the nodes' Redis database (flushed before each test).
VERIFICATIONS_KEY = "issue18:argon2id:verifications"


class CountingArgon2idHasher(Argon2idHasher):
    """The product's Argon2id hasher (same algorithm name, same parameters: the stored hashes
    are its own), counting each verification once it has run."""

    def verify(self, password, encoded):
        from django_redis import get_redis_connection

        result = super().verify(password, encoded)
        get_redis_connection("default").incr(VERIFICATIONS_KEY)
        return result
