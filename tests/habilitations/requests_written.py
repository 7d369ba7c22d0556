"""What the hostile-input tests of J9 and J14 check after each post (not a test module): a
request is written whole (request, code, letter, audit row) or not at all."""

from codes.models import PendingRequest
from core.models import AuditEvent
from habilitations.models import AdhesionRequest
from tests.habilitations.letters import letters_in


def nothing_written(spool, kind: str) -> None:
    """No request of kind ("adhesion", "substitution"), code, letter or audit row exists."""
    assert not AdhesionRequest.objects.exists()
    assert not PendingRequest.objects.filter(kind=kind).exists()
    assert letters_in(spool) == []
    assert not AuditEvent.objects.filter(kind=f"habilitations.{kind}_requested").exists()


def all_or_nothing(spool, kind: str) -> None:
    """Each request has its code, its letter and its audit row, and nothing else exists."""
    requests = AdhesionRequest.objects.count()
    assert PendingRequest.objects.filter(kind=kind).count() == requests
    assert AdhesionRequest.objects.filter(pending__isnull=True).count() == 0
    assert len(letters_in(spool)) == requests
    assert AuditEvent.objects.filter(kind=f"habilitations.{kind}_requested").count() == requests
