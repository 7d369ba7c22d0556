"""R-ENT-1 "Modifier l'adresse électronique de l'entreprise" (J17), HTTP-free.

``request_change``: a titulaire or active suppléant of the dossier types the new address;
a code goes to that address (kind DOSSIER_EMAIL, DOSSIER_EMAIL_CODE_TTL: 48 h), typed in
the one activation entry (J2) with the requester's LOGIN email, as mode simplifié's
company-email code (R-ADH-4). A space may have one live request per dossier (a new one for
the same dossier voids the earlier), several dossiers at once.

``apply`` is what J2 does with the code: the policy is asked again at that moment (a
suppléant put on hold, a titulaire substituted meanwhile: CodeVoid, like a wrong code),
then the dossier takes the address, every space that manages it sees the change in its
security history, and the previous address (if any) is told it was replaced.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from codes.errors import CodeVoid
from codes.models import PendingRequest
from codes.process import CodeProcess
from core import audit, clock
from core.models import AuditEvent
from core.identity import format_siren
from core.site import current_request
from core.throttle import Throttle
from dossiers.models import Dossier
from entreprise.events import Kind as Event
from entreprise.kinds import Kind
from habilitations import policy
from habilitations.models import Habilitation
from habilitations.services import sharing
from mailer import templated

THROTTLE = "company_email_requests_per_space"
NOTICE_SUBJECT = "Espace professionnel - Remplacement de l'adresse électronique de l'entreprise"


class ChangeRefused(Exception):
    """The change may not be asked: ``code`` keys the message (core.messages)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def live_requests(space, now: datetime):
    """Return the space's live requests of kind DOSSIER_EMAIL (the sent page reads its own)."""
    return PendingRequest.objects.filter(space=space, kind=Kind.DOSSIER_EMAIL, used_at__isnull=True, expires_at__gt=now)


def pending_change(space, dossier: Dossier, now: datetime) -> PendingRequest | None:
    """Return the live request of space for the dossier, or None."""
    return live_requests(space, now).filter(payload__siren=dossier.siren).order_by("-created_at", "-pk").first()


def request_change(*, request, space, access, email: str, now: datetime) -> PendingRequest:
    """Send a code to email (normalised, R-MAIL-1) to make it the dossier's company email.

    Raise ChangeRefused("company_email_unchanged") when email is the dossier's address
    already, ChangeRefused("company_email_throttled") past the space's ceiling (each request
    sends an email: the ceiling keeps a space from flooding a mailbox). ``access`` is the
    policy's answer for the dossier; a space that may not manage its email gets a
    PermissionError (the views answer 404 before calling).
    """
    if not policy.may_manage_company_email(access):
        raise PermissionError("R-ENT-1: titulaire or active suppléant only")
    dossier = access.dossier
    if email == dossier.company_email:
        raise ChangeRefused("company_email_unchanged")
    if not Throttle.default().within_limit(THROTTLE, key=str(space.pk)):
        raise ChangeRefused("company_email_throttled")
    with transaction.atomic():
        # One live request per space and dossier: the earlier code stops working (its email
        # says nothing of it; the new one is what the requester waits for).
        PendingRequest.objects.filter(
            space=space, kind=Kind.DOSSIER_EMAIL, used_at__isnull=True, payload__siren=dossier.siren
        ).delete()
        pending = CodeProcess.initiate(
            kind=Kind.DOSSIER_EMAIL,
            email=space.login_email,
            payload={"siren": dossier.siren, "company_email": email},
            now=now,
            space=space,
            address=email,
            siren=format_siren(dossier.siren),
            company=dossier.name,
            requester=sharing.person(space),
        ).pending
        audit.record(
            request, Event.COMPANY_EMAIL_REQUESTED, space=space, email=space.login_email, subject=dossier,
            siren=dossier.siren, company_email=email,
        )
    return pending


def managers(dossier: Dossier, now: datetime) -> list:
    """Return the spaces that manage the dossier now (live titulaires and suppléants), by pk."""
    rows = (
        Habilitation.objects.filter(policy.live(now), dossier=dossier, role__in=policy.MANAGERS, space__is_active=True)
        .select_related("space")
        .order_by("space_id")
    )
    spaces = {}
    for row in rows:
        spaces.setdefault(row.space_id, row.space)
    return list(spaces.values())


def apply(pending: PendingRequest, payload: dict, now: datetime):
    """Apply a DOSSIER_EMAIL code (J2): the dossier takes the new address; return the space.

    Raise CodeVoid (refused like a wrong code, the consumption rolled back) when the space
    closed or may no longer manage the dossier's email: the policy is asked now, not at the
    request. The dossier row is locked: two codes applied at once for one dossier are
    applied one after the other, each notice naming the address it replaced.
    """
    space = get_user_model().objects.filter(pk=pending.space_id, is_active=True).first()
    dossier = Dossier.objects.select_for_update().filter(siren=payload.get("siren", "")).first()
    if space is None or dossier is None or not policy.may_manage_company_email(policy.access(space, dossier.siren, now)):
        raise CodeVoid()
    previous, new = dossier.company_email, payload["company_email"]
    dossier.company_email, dossier.company_email_changed_at = new, now
    dossier.save(update_fields=["company_email", "company_email_changed_at"])
    request = current_request()
    # R-AUDIT-2 (choice): every space that manages the dossier sees the change in its
    # history, naming who made it; the requester's row names the first other manager.
    sharing.record_shared(
        request, Event.COMPANY_EMAIL_CHANGED, actor=space, spaces=[space, *managers(dossier, now)], subject=dossier,
        siren=dossier.siren, company_email=new,
    )
    if previous and previous != new:
        at = clock.paris(now)
        templated.send(
            "entreprise/emails/company_email_replaced.txt",
            to=previous,
            subject=NOTICE_SUBJECT,
            company=dossier.name,
            siren=format_siren(dossier.siren),
            requester=sharing.person(space),
            new_email=masked(new),
            changed_on=f"{at:%d/%m/%Y}",
            changed_at=f"{at:%H:%M}",
        )
    return space


def masked(email: str) -> str:
    """Return "j***@exemple.fr": the new address as the notice to the previous one shows it.

    (choice) The previous mailbox may be a departed employee's or one the company lost:
    it learns that its address was replaced, by whom, and enough to recognise the new one,
    not the new address itself.
    """
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def changed(space, at: datetime) -> dict:
    """Return the context of J2's confirmation: the dossier whose address the code set at ``at``.

    Read back from the audit event the activation recorded for space (the request's payload
    is wiped once used).
    """
    event = (
        AuditEvent.objects.filter(space=space, kind=Event.COMPANY_EMAIL_CHANGED, at__gte=at)
        .order_by("at", "id")
        .first()
    )
    if event is None:
        return {}
    return {
        "dossier": Dossier.objects.filter(siren=event.detail.get("siren", "")).first(),
        "company_email": event.detail.get("company_email", ""),
    }
