"""Password hashing: Argon2id only (R-PWD-5), at the OWASP baseline (SPEC §4)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with 19 MiB, 2 passes, 1 lane.

    Django's default (100 MiB x 8 lanes) costs about 8 times the time and memory per
    login; at tax-deadline peaks that is the difference between serving and queueing,
    for no gain an attacker with GPUs would notice. The parameters are part of each
    stored hash, so raising them later re-hashes at the next login (``must_update``, then
    the login's setter ``accounts.services.passwords.rehash``, which leaves the password's
    history and expiry alone).
    """

    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
