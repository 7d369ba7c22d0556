"""The audit log of security events (SPEC §4): time, address, user agent, never a secret."""

from core import clock, prepared
from core.identity import printable
from core.models import AuditEvent
from core.client import client_ip

Kind = AuditEvent.Kind


def record(request, kind: str, *, space=None, email: str = "", **detail) -> None:
    """Write one audit event for request. Callers pass no password, answer or code.

    Every login writes one: a prepared INSERT (core.prepared.insert), not Model.save().
    """
    prepared.insert(
        AuditEvent(
            at=clock.now(),
            kind=kind,
            space=space if getattr(space, "pk", None) else None,
            email=printable(email or "")[:100],
            ip=client_ip(request) if request is not None else None,
            user_agent=printable(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
            detail=detail,
        )
    )
