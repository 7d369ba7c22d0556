"""Why a code is refused, for the audit log; one refusal for the person (R-CODE-2).

Views catch ``CodeRefused`` only and show one message whatever the subclass: telling a
used code from a wrong one would tell an attacker which guesses were real codes. The
subclass travels as far as the audit event (``reason=``), where support and security
reviewers need it. None of them carries the code.
"""


class CodeRefused(Exception):
    """Wrong, used, expired or another email's code: one error for all (R-CODE-2)."""

    reason = "refused"
    until = None  # set by CodeThrottled only: when the refusal ends


class CodeMalformed(CodeRefused):
    """Not 12 characters of [A-Za-z0-9] (R-CODE-1): nothing was looked up."""

    reason = "malformed"


class CodeWrong(CodeRefused):
    """No request has this code for this email (or for this kind, or this space)."""

    reason = "wrong"


class CodeUsed(CodeRefused):
    """The request was used already: a code works once (R-CODE-1)."""

    reason = "used"


class CodeExpired(CodeRefused):
    """The request's life is over, or it was voided (abort): the person starts again (R-CODE-2)."""

    reason = "expired"


class CodeVoid(CodeRefused):
    """The request is live but no longer applies: what it was for changed meanwhile."""

    reason = "void"


class CodeThrottled(CodeRefused):
    """The account or the address is blocked for a while (R-THROTTLE-1): nothing was checked."""

    reason = "throttled"

    def __init__(self, until=None):
        super().__init__()
        # The counters run for any email or number typed: the end of the delay tells nothing.
        self.until = until


class EmailUnavailable(Exception):
    """The email is a login, or held by a live request (R-MAIL-3, R-CODE-3)."""
