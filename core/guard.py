"""The one guarded check of a secret (R-THROTTLE-1): password, current or old password,
trust answer, code.

Every flow that checks a secret calls ``check_secret``: it consults the rate-limit
policies, runs the check only when they allow it, and records the success or the
failure. No flow copies the allow / check / failed sequence, so none can forget a step.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from core.throttle import Throttle

T = TypeVar("T")


class Verdict(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class Checked(Generic[T]):
    verdict: Verdict
    value: T | None = None
    until: datetime | None = None  # THROTTLED: when the refusal ends (core.throttle.Admission)

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.OK


def check_secret(
    *, account: str, address: str | None, verify: Callable[[], T | None], reset_on_success: bool = True
) -> Checked[T]:
    """Run verify() for account unless throttled; count its failure or reset on success.

    ``account`` is what the failures count against: the email typed (whether or not it has
    a space, so that blocking reveals nothing), or the login email of the space whose
    secret is checked — passwords, answers and codes share one counter per account.
    ``verify`` returns a truthy value on success (returned in ``Checked.value``) and a
    falsy one on failure. While throttled it is not called at all: a blocked account's
    password is not checked, even when right (R-THROTTLE-1).

    ``reset_on_success=False`` for a check that only opens the way to another secret (J5's
    code before the trust answer): its success must not wipe the failures of that other
    secret, or each new code would buy a fresh set of guesses at the answer.
    """
    throttle = Throttle.default()
    admission = throttle.allows(account=account, address=address)
    if not admission:
        return Checked(Verdict.THROTTLED, until=admission.until)
    value = verify()
    if not value:
        throttle.failed(account=account, address=address)
        return Checked(Verdict.WRONG)
    if reset_on_success:
        throttle.succeeded(account=account, admission=admission)
    return Checked(Verdict.OK, value)
