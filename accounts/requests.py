"""The request kinds of accounts (J1, J4, J5, J8), declared to codes at start-up (apps.ready).

Each kind of request has its own process, as allauth gives each code purpose its own:
how long its code lives, whether it holds its email against every other request while it
runs, which rule says the email is available, which message carries the code, and what
activation applies. Here is every rule of accounts on them; codes knows none by name.
"""

from datetime import datetime

from accounts import selectors
from accounts.kinds import Kind
from accounts.models import AccessMode, Space
from accounts.services import company_email, emails, spaces
from codes import channels, registry
from codes.errors import EmailUnavailable
from codes.requests import held_by_another


class EmailOfCertificateSpace(Exception):
    """The email belongs to a certificate space: the option procedure (J8) is the way."""


def _login_of_another_space(email: str, space: Space | None) -> bool:
    logins = Space.objects.filter(login_email=email)
    return (logins.exclude(pk=space.pk) if space is not None else logins).exists()


def creation_available(email: str, now: datetime, space: Space | None = None) -> None:
    """J1: a new password space needs an email that no space and no live request has.

    The email of a certificate space is refused with its own error, so that its owner is
    pointed to the option procedure (J1.3, guide 003) instead of opening a second space.
    """
    if _login_of_another_space(email, None) or held_by_another(email, now):
        raise EmailUnavailable(email)
    if Space.objects.filter(access_mode=AccessMode.CERTIFICATE, contact_email__iexact=email).exists():
        raise EmailOfCertificateSpace(email)


def login_email_available(email: str, now: datetime, space: Space | None = None) -> None:
    """J4 and J8: the space may take email unless another space or request has it (R-MAIL-3).

    The space's own earlier request does not count: a new one replaces it. Certificate
    spaces' contact addresses do not count either: several may share one, and only the
    first to take it as a login keeps it (R-MAIL-3).
    """
    if _login_of_another_space(email, space) or held_by_another(email, now, space):
        raise EmailUnavailable(email)


class EmailChannel:
    """Codes by email: the seeds' emails (R-EMAIL-1), queued in the outbox (R-EMAIL-2).

    The kind's message names the email (espace/emails/<message>.txt and its subject).
    """

    def deliver(self, *, message: str, to: str, code: str, context: dict) -> None:
        emails.send(message, to=to, code=code, **context)


def creation_done_context(space: Space, at: datetime) -> dict:
    """The context of "Votre inscription": in mode simplifié, the code sent to the company (R-ADH-4)."""
    return {"company_email": selectors.company_email_sent(space, at)}


def company_email_done_context(space: Space, at: datetime) -> dict:
    """The context of the company email's confirmation: the letter posted, or why none (R-ADH-4)."""
    return {"outcome": selectors.company_email_outcome(space, at)}


def register() -> None:
    """Provide the email channel and declare accounts' kinds (AccountsConfig.ready)."""
    channels.provide("email", EmailChannel())
    registry.register(
        name=Kind.CREATION,
        label=Kind.CREATION.label,
        life="ACTIVATION_CODE_TTL",
        channel="email",
        holds_email=True,
        available=creation_available,
        message="activation",
        apply=spaces.create_from_request,
        done_template="espace/creation/activated.html",
        done_context=creation_done_context,
    )
    registry.register(
        name=Kind.EMAIL_CHANGE,
        label=Kind.EMAIL_CHANGE.label,
        life="ACTIVATION_CODE_TTL",
        channel="email",
        holds_email=True,
        available=login_email_available,
        message="activation",
        apply=spaces.change_login_email,
        done_template="espace/credentials/activated.html",
        replaces_previous=True,
    )
    registry.register(
        name=Kind.OPTION,
        label=Kind.OPTION.label,
        life="ACTIVATION_CODE_TTL",
        channel="email",
        holds_email=True,
        available=login_email_available,
        message="activation",
        apply=spaces.opt_for_password,
        done_template="espace/option/done.html",
        replaces_previous=True,
    )
    # J5: the code goes to the login the space already has, and proves the mailbox before
    # the trust answer, which it survives RESET_ANSWER_ATTEMPTS - 1 times wrong.
    registry.register(
        name=Kind.PASSWORD_RESET,
        label=Kind.PASSWORD_RESET.label,
        life="RESET_CODE_TTL",
        channel="email",
        holds_email=False,
        available=registry.always_available,
        message="password_reset",
        replaces_previous=True,
        attempts="RESET_ANSWER_ATTEMPTS",
    )
    # J8 outside the space (lost certificate): a 1 h code to the email on file, which proves
    # the mailbox before the same steps as the option inside the space.
    registry.register(
        name=Kind.OPTION_RECOVERY,
        label=Kind.OPTION_RECOVERY.label,
        life="RESET_CODE_TTL",
        channel="email",
        holds_email=False,
        available=registry.always_available,
        message="option_recovery",
        replaces_previous=True,
    )
    # R-ADH-4, mode simplifié: the code goes to the company's email, J2 matches it with the
    # login email (and follows it, J4); it claims no email (the company's may be the login).
    registry.register(
        name=Kind.COMPANY_EMAIL,
        label=Kind.COMPANY_EMAIL.label,
        life="COMPANY_EMAIL_CODE_TTL",
        channel="email",
        holds_email=False,
        available=registry.always_available,
        message="company_email",
        apply=company_email.confirm,
        done_template="espace/creation/company_email_done.html",
        done_context=company_email_done_context,
        follows_login=True,
    )
