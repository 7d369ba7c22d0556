"""Spaces: creation at activation (J2), login email change (J4), the recap data (R-PDF-1)."""

from datetime import datetime

from core.site import current_request
from core import clock
from accounts.kinds import Kind
from accounts.models import AccessMode, Space
from codes.errors import CodeVoid
from codes.models import PendingRequest
from codes.requests import follow_login_email
from accounts.selectors import profile_display
from core import audit
from accounts.services import emails, numbers, passwords
from recapitulatif import RecapData
from accounts.events import Kind as Event

PROFILE_FIELDS = (
    "civility",
    "last_name",
    "first_name",
    "foreign_company",
    "company_identifier",
    "phone",
    "street_number",
    "street_type",
    "street_name",
    "address_complement",
    "postal_code",
    "city",
    "country",
    "trust_question",
)


def create_from_request(pending: PendingRequest, payload: dict, now: datetime) -> Space:
    """Create the password space a creation request describes, with a new number (R-NUM-1)."""
    space = Space(
        subscriber_number=numbers.allocate(now),
        access_mode=AccessMode.PASSWORD,
        login_email=pending.email,
        contact_email=pending.email,
        trust_answer_hash=payload["trust_answer_hash"],
        created_at=now,
        **{field: payload[field] for field in PROFILE_FIELDS},
    )
    passwords.set_password(space, password_hash=payload["password_hash"], at=now)
    return space


def profile_of(space: Space) -> dict:
    """Return the profile fields of space as a mapping, the shape the selectors read."""
    return {field: getattr(space, field) for field in PROFILE_FIELDS}


def recap_data(space: Space, now: datetime) -> RecapData:
    """Return what the récapitulatif prints: never the trust answer (R-TRUST-2, R-PDF-1)."""
    display = profile_display(profile_of(space))
    return RecapData(
        civility=display.civility,
        last_name=space.last_name,
        first_name=space.first_name,
        subscriber_number=space.subscriber_number,
        phone=display.phone,
        login_email=space.login_email or "",
        address_lines=display.address_lines,
        foreign_company=space.foreign_company,
        company_identifier=display.company_identifier,
        company_name=display.company_name,
        trust_question=space.trust_question,
        created_at=now,
    )


def opt_for_password(pending: PendingRequest, payload: dict, now: datetime) -> Space:
    """Turn the certificate space of an option request into a password space (J8).

    Irrevocable (guide 004 §1.3): the access mode, the login email, the password and the
    trust question and answer change; the subscriber number and every other datum are
    kept. The new access mode and login email change the session auth hash, which ends
    every certificate session of the space. A space that is no longer a certificate space
    (it opted meanwhile) refuses the code like a wrong one (CodeVoid, R-CODE-2).
    """
    space = Space.objects.select_for_update().filter(pk=pending.space_id, access_mode=AccessMode.CERTIFICATE).first()
    if space is None:
        raise CodeVoid()
    space.access_mode = AccessMode.PASSWORD
    space.login_email = pending.email
    space.trust_question = payload["trust_question"]
    space.trust_answer_hash = payload["trust_answer_hash"]
    # A certificate space's password field was never a credential: it must not enter the
    # history (R-PWD-3 counts previous passwords the person chose).
    space.password = ""
    passwords.set_password(space, password_hash=payload["password_hash"], at=now)
    follow_login_email(space, space.login_email)
    return space


def change_login_email(pending: PendingRequest, payload: dict, now: datetime) -> Space:
    """Apply a live email-change request at activation (J2, J4); refuse a void one.

    The new login replaces the old (and the contact address too when it was the login);
    the new password, if one was chosen, is applied with it (its hash was made and
    validated when the change was asked). The session auth hash covers the login email,
    so every session of the space ends. A notice goes to the OLD address: if someone else
    made the change, the owner learns it where they still read. A space that closed or
    changed its access meanwhile refuses the code like a wrong one (CodeVoid, R-CODE-2).
    """
    space = (
        Space.objects.select_for_update()
        .filter(pk=pending.space_id, is_active=True, access_mode=AccessMode.PASSWORD)
        .first()
    )
    if space is None:
        raise CodeVoid()
    old_email = space.login_email
    space.login_email = pending.email
    if space.contact_email == old_email:
        space.contact_email = pending.email
    if payload.get("password_hash"):
        passwords.set_password(space, password_hash=payload["password_hash"], at=now)  # saves the email too
    else:
        space.save(update_fields=["login_email", "contact_email"])
        # A reset code went to the old address: it must not outlive the change of login.
        space.pending_requests.filter(used_at__isnull=True, kind=Kind.PASSWORD_RESET).delete()
    follow_login_email(space, space.login_email)
    local = clock.paris(now)
    emails.send(
        "email_changed_notice",
        to=old_email,
        new_email=pending.email,
        changed_on=clock.long_date(local.date()),
        changed_at=local.strftime("%H:%M"),
        with_password=bool(payload.get("password_hash")),
    )
    # Applied by the activation entry (J2), which hands apply no request: the history's row
    # still shows the address and browser of the activation, as every other row does.
    audit.record(current_request(), Event.EMAIL_CHANGED, space=space, email=pending.email, old_email=old_email)
    return space
