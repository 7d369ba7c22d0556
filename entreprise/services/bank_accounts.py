"""R-BANK-1: a dossier's bank accounts and their SEPA B2B mandates; every change audited (R-AUDIT-2).

HTTP-free but for the request the audit reads the client's address from (None from a
command). Each write runs in one transaction with its audit rows and its emails (outbox):
nothing half-written. The IBAN leaves this module masked only (audit, emails); the callers
have checked habilitations.policy (the flow, behind ``dossier_view``).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction

from core.clock import paris
from core.identity import format_siren
from dossiers.models import Dossier
from entreprise import sepa, selectors
from entreprise.events import Kind as Event
from entreprise.models import BankAccount, MandateStatus
from habilitations.services import sharing
from mailer import templated

SUBJECTS = {
    "bank_account_added": "Un compte bancaire a été ajouté à votre espace professionnel",
    "bank_account_removed": "Un compte bancaire a été supprimé de votre espace professionnel",
    "bank_mandate_confirmed": "Votre mandat de prélèvement SEPA interentreprises est enregistré",
}


class BankAccountRefused(Exception):
    """The account cannot be added or the mandate confirmed: ``code`` keys the message or the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, kw_only=True)
class NewAccount:
    """An account as the form checked it: IBAN compact, BIC ("" inside the EEA), holder, address lines."""

    iban: str
    bic: str = ""
    holder: str
    address: list[str] = field(default_factory=list)


def add(*, request, actor, dossier: Dossier, account: NewAccount, now: datetime) -> BankAccount:
    """Record account for dossier (after "Confirmer"): CORE valid, B2B waiting for the signed mandate.

    Raise BankAccountRefused("bank_account_duplicate") when the dossier has it already.
    """
    with transaction.atomic():
        # Two "Confirmer" of the same account at once: the dossier's row serialises them, and the
        # constraint on (dossier, digest) holds whatever happens.
        Dossier.objects.select_for_update().get(pk=dossier.pk)
        digest = sepa.digest(account.iban)
        if BankAccount.objects.filter(dossier=dossier, iban_digest=digest, removed_at__isnull=True).exists():
            raise BankAccountRefused("bank_account_duplicate")
        created = _create(actor=actor, dossier=dossier, account=account, now=now)
        managers = selectors.bank_managers(dossier)
        sharing.record_shared(
            request, Event.BANK_ACCOUNT_ADDED, actor=actor, spaces=[actor, *managers], subject=dossier,
            **_detail(created),
        )
        _notify("bank_account_added", created, spaces=[actor, *managers], actor=actor, now=now)
    return created


def _create(*, actor, dossier: Dossier, account: NewAccount, now: datetime) -> BankAccount:
    for _ in range(3):  # a RUM drawn twice (one in 10^18) is drawn again
        row = BankAccount(
            dossier=dossier,
            bic=account.bic,
            holder=account.holder,
            holder_address=list(account.address),
            rum=sepa.new_rum(dossier.siren),
            core_status=MandateStatus.VALID,
            b2b_status=MandateStatus.PENDING,
            created_by=actor,
            created_at=now,
        )
        row.set_iban(account.iban)
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction survives a clash
                row.save()
            return row
        except IntegrityError:
            continue
    raise RuntimeError("Aucune RUM libre après trois tirages")


def mandate_edited(*, request, actor, account: BankAccount, now: datetime) -> None:
    """Record that actor printed the mandate of account ("Éditer le mandat")."""
    sharing.record_shared(
        request, Event.BANK_MANDATE_EDITED, actor=actor, spaces=[actor], subject=account.dossier, **_detail(account)
    )


def remove(*, request, actor, account: BankAccount, now: datetime) -> BankAccount:
    """Remove account: both schemes "Révoqué", out of the list; the row stays for the audit."""
    with transaction.atomic():
        locked = BankAccount.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=account.pk)
        if locked.removed_at is not None:  # removed meanwhile (two tabs): done once, audited once
            return locked
        locked.core_status = MandateStatus.REVOKED
        locked.b2b_status = MandateStatus.REVOKED
        locked.removed_at = now
        locked.save(update_fields=["core_status", "b2b_status", "removed_at"])
        managers = selectors.bank_managers(locked.dossier)
        sharing.record_shared(
            request, Event.BANK_ACCOUNT_REMOVED, actor=actor, spaces=[actor, *managers], subject=locked.dossier,
            **_detail(locked),
        )
        _notify("bank_account_removed", locked, spaces=[actor, *managers], actor=actor, now=now)
    return locked


def confirm_mandate(*, rum: str, now: datetime, request=None, actor_label: str = "") -> BankAccount:
    """Record the bank's confirmation of the signed mandate rum: B2B "Valide" (support's action).

    actor_label names who recorded it in the spaces' histories ("Assistance : Claire Martin"
    from the console); the command leaves it empty: "l'administration". Raise BankAccountRefused("unknown") for no live account of that RUM, ("already") for a
    mandate confirmed before.
    """
    rum = "".join((rum or "").split()).upper()
    with transaction.atomic():
        locked = (
            BankAccount.objects.select_for_update(of=("self",)).select_related("dossier", "created_by")
            .filter(rum=rum, removed_at__isnull=True).first()
            if sepa.RUM_RE.fullmatch(rum) else None
        )
        if locked is None:
            raise BankAccountRefused("unknown")
        if locked.b2b_status == MandateStatus.VALID:
            raise BankAccountRefused("already")
        locked.b2b_status = MandateStatus.VALID
        locked.mandate_confirmed_at = now
        locked.save(update_fields=["b2b_status", "mandate_confirmed_at"])
        spaces = [*selectors.bank_managers(locked.dossier), locked.created_by]
        sharing.record_shared(
            request, Event.BANK_MANDATE_CONFIRMED, actor=None, spaces=spaces, subject=locked.dossier,
            authority=actor_label or "l'administration", **_detail(locked),
        )
        _notify("bank_mandate_confirmed", locked, spaces=spaces, actor=None, now=now)
    return locked


def _detail(account: BankAccount) -> dict:
    """What the audit keeps of account: its masked IBAN, never the whole one."""
    return {"iban": account.iban_masked, "rum": account.rum, "account": account.pk}


def _notify(kind: str, account: BankAccount, *, spaces, actor, now: datetime) -> None:
    """Queue the email kind for each distinct active space of spaces (the IBAN masked)."""
    seen = set()
    for space in spaces:
        if space is None or not space.is_active or space.pk in seen:
            continue
        seen.add(space.pk)
        templated.send(
            f"entreprise/emails/{kind}.txt",
            to=space.contact_email,
            subject=SUBJECTS[kind],
            space=space,
            account=account,
            dossier=account.dossier,
            siren=format_siren(account.dossier.siren),
            actor=sharing.person(actor) if actor is not None else "",
            by_self=actor is not None and actor.pk == space.pk,
            when=paris(now),
        )
