"""Mode simplifié (R-ADH-4): the company's email proven by a code, then every free service asked for.

A creation in mode simplifié carries the SIREN and the email of the person's own company.
When J2 creates the space (spaces.create_from_request), ``request_confirmation`` sends a code
to that company email: a request of kind "company_email" that lives COMPANY_EMAIL_CODE_TTL
(72 h) and claims no email (a sole trader's company address may be their login). It is typed
in the one activation entry (J2) with the LOGIN email, like every code. ``confirm`` is what
J2 then applies: for that SIREN, every service of the catalogue that nobody holds is asked
through habilitations' request_adhesion, as in the expert mode: a letter to the siège
(R-ADH-2), whose code makes the space titulaire.
"""

from datetime import datetime

from accounts.events import Kind as Event
from accounts.kinds import Kind
from accounts.models import Civility, Space
from catalogue.models import Service
from codes.errors import CodeVoid
from codes.models import PendingRequest
from codes.process import CodeProcess
from core import audit
from core.identity import format_siren
from core.site import current_request
from habilitations.models import Statut
from habilitations.services import adhesion
from registre.selectors import company_name

# check_services' refusal that means "another space is titulaire" (R-ADH-2): the done page
# points to substitution or delegation. Its other refusals (held or asked already by this
# space) mean the space has the service or will have it: nothing to ask again.
TAKEN = "adhesion_has_titulaire"


def request_confirmation(*, space: Space, siren: str, company_email: str, now: datetime) -> PendingRequest:
    """Send the code that proves the company's email (R-ADH-4), in the caller's transaction.

    J2 matches the code with the space's login email; the code itself goes to the company
    email only. The email names who asked and for which company: its reader may be someone
    else in the company, who must be able to tell a request they did not expect.
    """
    pending = CodeProcess.initiate(
        kind=Kind.COMPANY_EMAIL,
        email=space.login_email,
        payload={"siren": siren, "company_email": company_email},
        now=now,
        space=space,
        address=company_email,
        siren=format_siren(siren),
        company=company_name(siren) or "",
        requester=f"{Civility(space.civility).label} {space.last_name} {space.first_name}",
    ).pending
    audit.record(
        current_request(), Event.COMPANY_EMAIL_REQUESTED, space=space, email=space.login_email, siren=siren
    )
    return pending


def partition(*, space: Space, siren: str, now: datetime) -> tuple[list[Service], list[Service], list[Service]]:
    """Return the catalogue's services as (free, taken by another titulaire, held or asked by space).

    Each service is judged by the rule the request itself applies (adhesion.check_services),
    so that request_adhesion, given the free ones, refuses none of them.
    """
    free, taken, own = [], [], []
    for service in Service.objects.select_related("family").order_by("family__position", "position"):
        try:
            adhesion.check_services(space=space, siren=siren, services=[service], now=now)
        except adhesion.AdhesionRefused as refused:
            (taken if refused.code == TAKEN else own).append(service)
        else:
            free.append(service)
    return free, taken, own


def confirm(pending: PendingRequest, payload: dict, now: datetime) -> Space:
    """Apply a company-email code (J2): ask every free service of the SIREN by post; return the space.

    The code has done its work, proving the mailbox, even when nothing can be asked (every
    service has a titulaire; the register lost the company or its siège): the request is
    consumed and the confirmation page says why no letter left. What it says is what the
    audit event records (``outcome`` reads it back). A space closed meanwhile refuses the
    code like a wrong one (CodeVoid, R-CODE-2).
    """
    space = Space.objects.filter(pk=pending.space_id, is_active=True).first()
    if space is None:
        raise CodeVoid()
    siren = payload["siren"]
    free, taken, own = partition(space=space, siren=siren, now=now)
    asked, refused = None, ""
    if free:
        try:
            asked = adhesion.request_adhesion(
                space=space,
                siren=siren,
                statut=Statut.REPRESENTANT_LEGAL,
                service_codes=[service.code for service in free],
                now=now,
                request=current_request(),
            )
        except adhesion.AdhesionRefused as refusal:
            refused = refusal.code
    audit.record(
        current_request(),
        Event.COMPANY_EMAIL_CONFIRMED,
        space=space,
        email=space.login_email,
        subject=asked.dossier if asked else None,
        siren=siren,
        adhesion=asked.pk if asked else None,
        taken=[service.code for service in taken],
        own=[service.code for service in own],
        refused=refused,
    )
    return space
