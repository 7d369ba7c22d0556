"""Rate limits (R-THROTTLE-1), as named policies over a store that every app node shares.

Policies (settings.THROTTLE_POLICIES, where every number and window is named):
- "account_failures": after 5 consecutive failures, refuse without checking the secret for
  a delay that doubles from 1 minute up to 1 hour; a success resets it.
- "account_checks": never more than 100 secret checks per account per hour.
- "address_failures": at most 50 failures per client address per 10 minutes.
- ceilings ({"limit", "window"}) counted by ``within_limit``: creations, email checks,
  strength-meter calls, captchas per client address.

Every per-address count ("address_failures", and every ceiling whose name ends in
``_per_address``) names the client by ``core.client.address_key`` here, in one place:
callers pass the client's address as they have it, and an IPv6 client is counted by its
/64 whatever they pass, so that no call site can forget it.

Flows do not call allows/failed/succeeded themselves: core.guard does, around
every check of a secret.

The store is the database by default and Redis when REDIS_URL is set. A refusal says
until when (Admission.until): the counters run for any email typed, with or without a
space, so the delay tells nothing about the email either (docs/decisions.md).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.db import connection

from core import clock
from core.client import address_key
from core.models import ThrottleCounter
from core.prepared import Prepared


class Store(Protocol):
    """Counters with fixed windows and block marks, shared by all app nodes."""

    def incr(self, key: str, window: timedelta) -> int:
        """Add one to key's counter in its current window and return the new count."""

    def block(self, key: str, until: datetime) -> None:
        """Mark key blocked until the given time (read back by ``read``)."""

    def reset(self, key: str) -> None:
        """Forget key's counter and block."""

    def window_end(self, key: str, window: timedelta) -> datetime:
        """Return when key's current window ends (now + window when it has none)."""

    def read(
        self, counts: dict[str, timedelta], blocks: tuple[str, ...]
    ) -> tuple[dict[str, int], dict[str, datetime]]:
        """Return, in one round-trip, the count of each key in its window and each live block."""


# The read of a check: the account's and the address's failures and the account's block.
READ_KEYS = 3
READ_NAMES = tuple(f"key{index}" for index in range(READ_KEYS))
_READ = Prepared(lambda key0, key1, key2: ThrottleCounter.objects.filter(key__in=[key0, key1, key2]))


class DatabaseStore:
    """Counters in the ThrottleCounter table; one upsert statement keeps increments exact."""

    def incr(self, key, window):
        # One atomic upsert creates, counts or restarts the row in a single statement
        # (PostgreSQL, and SQLite >= 3.35): exact under concurrency, one round-trip, no retry.
        now = clock.now()
        quote = connection.ops.quote_name
        table = quote(ThrottleCounter._meta.db_table)
        key_col, count_col, start_col = quote("key"), quote("count"), quote("window_start")
        sql = (
            f"INSERT INTO {table} ({key_col}, {count_col}, {start_col}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({key_col}) DO UPDATE SET "
            f"{count_col} = CASE WHEN {table}.{start_col} <= %s THEN 1 ELSE {table}.{count_col} + 1 END, "
            f"{start_col} = CASE WHEN {table}.{start_col} <= %s THEN excluded.{start_col} "
            f"ELSE {table}.{start_col} END "
            f"RETURNING {count_col}"
        )
        adapt = connection.ops.adapt_datetimefield_value
        expired = adapt(now - window)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, adapt(now), expired, expired])
            return cursor.fetchone()[0]

    def read(self, counts, blocks):
        now = clock.now()
        wanted = [*counts, *(f"block:{key}" for key in blocks)]
        if len(wanted) <= READ_KEYS:  # every check: compiled once (core.prepared)
            padded = dict(zip(READ_NAMES, wanted + wanted[-1:] * (READ_KEYS - len(wanted)), strict=True))
            rows = {row.key: row for row in _READ.all(**padded)}
        else:
            rows = {row.key: row for row in ThrottleCounter.objects.filter(key__in=wanted)}
        found = {
            key: rows[key].count for key, window in counts.items() if key in rows and rows[key].window_start > now - window
        }
        until = {key: rows[f"block:{key}"].blocked_until for key in blocks if f"block:{key}" in rows}
        return found, {key: value for key, value in until.items() if value and value > now}

    def block(self, key, until):
        ThrottleCounter.objects.update_or_create(
            key=f"block:{key}", defaults={"blocked_until": until, "window_start": clock.now()}
        )

    def reset(self, key):
        ThrottleCounter.objects.filter(key__in=[key, f"block:{key}"]).delete()

    def window_end(self, key, window):
        now = clock.now()
        row = ThrottleCounter.objects.filter(key=key, window_start__gt=now - window).first()
        return row.window_start + window if row else now + window


class RedisStore:
    """Counters in Redis: INCR with an expiry is atomic on a single key."""

    def __init__(self):
        from django_redis import get_redis_connection

        self.redis = get_redis_connection("default")
        self.prefix = settings.THROTTLE_REDIS_PREFIX

    def incr(self, key, window):
        name = self.prefix + key
        pipe = self.redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, int(window.total_seconds()), nx=True)
        return int(pipe.execute()[0])

    def block(self, key, until):
        milliseconds = max(1, int((until - clock.now()).total_seconds() * 1000))
        self.redis.set(self.prefix + "block:" + key, until.timestamp(), px=milliseconds)

    def read(self, counts, blocks):
        names = [self.prefix + key for key in counts] + [self.prefix + "block:" + key for key in blocks]
        values = self.redis.mget(names)
        found = {key: int(value) for key, value in zip(counts, values) if value is not None}
        now = clock.now()
        until = {
            key: datetime.fromtimestamp(float(value), tz=now.tzinfo)
            for key, value in zip(blocks, values[len(counts) :])
            if value is not None
        }
        return found, {key: value for key, value in until.items() if value > now}

    def reset(self, key):
        self.redis.delete(self.prefix + key, self.prefix + "block:" + key)

    def window_end(self, key, window):
        # incr sets the expiry once, at the window's first count: the key dies with its window.
        left = self.redis.pttl(self.prefix + key)
        return clock.now() + (timedelta(milliseconds=left) if left > 0 else window)


def purge_database_counters(now: datetime) -> int:
    """Delete counters whose longest window and block are over (housekeeping).

    Redis expires its keys by itself; the database table needs this. A counter older than
    every window of every policy can count nothing any more.
    """
    windows = [
        value
        for policy in settings.THROTTLE_POLICIES.values()
        for value in policy.values()
        if isinstance(value, timedelta)
    ]
    stale = ThrottleCounter.objects.filter(window_start__lt=now - max(windows))
    deleted, _ = stale.exclude(blocked_until__gt=now).delete()
    return deleted


# The suffix of the ceilings counted per client address (settings.THROTTLE_POLICIES).
PER_ADDRESS = "_per_address"


@lru_cache(maxsize=1)
def default_store() -> Store:
    return RedisStore() if settings.REDIS_URL else DatabaseStore()


@dataclass(frozen=True)
class Admission:
    """The answer of Throttle.allows: true when the check may run.

    ``until``, when refused, is the moment the refusal ends: the account's block, the end
    of the address's failure window or of the account's hourly check budget, whichever is
    last, so that a person told "réessayez à HHhMM" is not refused again at HHhMM.
    """

    allowed: bool
    had_failures: bool
    until: datetime | None = None

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True)
class AccountState:
    """What the throttle holds against one account, as support reads it (Throttle.state)."""

    failures: int  # consecutive failures not yet forgotten
    blocked_until: datetime | None  # the running delay's end, None when none runs


@dataclass(frozen=True)
class Throttle:
    """The R-THROTTLE-1 policies for one kind of secret check (password, answer...)."""

    store: Store

    @classmethod
    def default(cls) -> "Throttle":
        return cls(default_store())

    @staticmethod
    def _policy(name):
        return settings.THROTTLE_POLICIES[name]

    def allows(self, *, account: str, address: str | None) -> "Admission":
        """Return whether one more check may run; count it against the hourly budget.

        One read (address failures, account failures and block) and one increment; the
        answer also says whether the account has failures for a success to reset.
        """
        address = address_key(address)
        address_policy = self._policy("address_failures")
        counts = {f"acct:{account}": self._policy("account_failures")["forget_after"]}
        if address:
            counts[f"ip:{address}"] = address_policy["window"]
        found, blocked = self.store.read(counts, (f"acct:{account}",))
        had_failures = f"acct:{account}" in found or bool(blocked)
        ends = list(blocked.values())
        if address and found.get(f"ip:{address}", 0) >= address_policy["limit"]:
            ends.append(self.store.window_end(f"ip:{address}", address_policy["window"]))
        if ends:
            return Admission(False, had_failures, max(ends))
        checks = self._policy("account_checks")
        if self.store.incr(f"checks:{account}", checks["window"]) > checks["limit"]:
            return Admission(False, had_failures, self.store.window_end(f"checks:{account}", checks["window"]))
        return Admission(True, had_failures)

    def failed(self, *, account: str, address: str | None) -> None:
        """Record a failed check; block the account once past its free failures."""
        policy = self._policy("account_failures")
        failures = self.store.incr(f"acct:{account}", policy["forget_after"])
        if failures >= policy["free_failures"]:
            doublings = failures - policy["free_failures"]
            delay = min(policy["first_delay"] * (2 ** min(doublings, 20)), policy["max_delay"])
            self.store.block(f"acct:{account}", clock.now() + delay)
        address = address_key(address)
        if address:
            self.store.incr(f"ip:{address}", self._policy("address_failures")["window"])

    def succeeded(self, *, account: str, admission: "Admission | None" = None) -> None:
        """Reset the consecutive failures of account (a success resets the delay).

        Given the admission of this check, skip the write when it saw no failure: the usual
        success then costs nothing. A failure a concurrent attempt records after that read
        is kept, as it would be had it come just after the reset.
        """
        if admission is None or admission.had_failures:
            self.store.reset(f"acct:{account}")

    def within_limit(self, policy_name: str, *, key: str | None) -> bool:
        """Count one use of a ceiling policy ({"limit", "window"}) for key; False past it.

        A missing key (no client address) is counted under one shared name rather than not
        at all, so that the ceiling can never be switched off by an unparseable address.
        A policy named ``*_per_address`` counts key by its address_key (IPv6 by its /64).
        """
        policy = self._policy(policy_name)
        if policy_name.endswith(PER_ADDRESS):
            key = address_key(key)
        return self.store.incr(f"{policy_name}:{key or 'inconnue'}", policy["window"]) <= policy["limit"]

    def state(self, *, account: str) -> AccountState:
        """Return account's consecutive failures and running delay, read only: nothing is
        counted or changed (the assistance console shows it, R-AST-1)."""
        key = f"acct:{account}"
        found, blocked = self.store.read({key: self._policy("account_failures")["forget_after"]}, (key,))
        return AccountState(failures=found.get(key, 0), blocked_until=blocked.get(key))

    def lift(self, *, account: str) -> None:
        """Let support lift an account's delay (SPEC §4)."""
        self.store.reset(f"acct:{account}")
        self.store.reset(f"checks:{account}")
