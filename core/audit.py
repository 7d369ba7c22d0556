"""The audit log of security events (SPEC §4): time, address, user agent, never a secret.

Each app declares the kinds of events it records (``EventKinds``), under its own namespace:
core stores and labels them without knowing any.
"""

from core import clock, prepared
from core.client import client_ip
from core.identity import printable
from core.models import AuditEvent

_LABELS: dict[str, str] = {}


class EventKinds:
    """The kinds of events of one app: ``Kind.LOGIN_OK == "accounts.login_ok"``, with its label."""

    def __init__(self, namespace: str, **labels: str):
        for name, label in labels.items():
            value = f"{namespace}.{name.lower()}"
            if _LABELS.setdefault(value, label) != label:
                raise ValueError(f"type d'événement déclaré deux fois : {value}")
            setattr(self, name, value)


def label(kind: str) -> str | None:
    """Return the French label of a declared kind, or None."""
    return _LABELS.get(kind)


def subject_of(instance) -> tuple[str, str]:
    """Return ("app_label.model", "pk") naming instance, or ("", "") for None."""
    if instance is None:
        return "", ""
    meta = instance._meta
    return f"{meta.app_label}.{meta.model_name}", str(instance.pk)


def record(request, kind: str, *, space=None, email: str = "", subject=None, **detail) -> None:
    """Write one audit event for request. Callers pass no password, answer or code.

    ``subject`` is what the event is about besides the space (R-AUDIT-2: a dossier, a service,
    another space), any saved model instance.
    """
    subject_type, subject_id = subject_of(subject)
    # Every login writes one: a prepared INSERT (core.prepared.insert), not Model.save()
    # (measured: 2 % of a login, docs/decisions.md).
    prepared.insert(AuditEvent(
        at=clock.now(),
        kind=kind,
        space=space if getattr(space, "pk", None) else None,
        email=printable(email or "")[:100],
        ip=client_ip(request) if request is not None else None,
        user_agent=printable(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
        detail=detail,
        subject_type=subject_type,
        subject_id=subject_id,
    ))
