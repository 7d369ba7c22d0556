"""The reads of entreprise's pages (R-BANK-1), each behind habilitations.policy (R-HAB-2)."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from dossiers.models import Dossier
from entreprise.models import BankAccount
from habilitations import policy
from habilitations.models import Habilitation


def bank_dossiers(space) -> list[Dossier]:
    """Return the dossiers whose bank accounts space may manage (R-BANK-1), by name."""
    return [
        dossier
        for dossier in policy.dossiers(space)
        if policy.may_manage_bank_accounts(policy.access(space, dossier.siren))
    ]


def bank_accounts(access: policy.Access | None) -> QuerySet[BankAccount]:
    """Return the dossier's accounts that are not removed, oldest first; none if access may not see them."""
    if not policy.may_manage_bank_accounts(access):
        return BankAccount.objects.none()
    return BankAccount.objects.filter(dossier=access.dossier, removed_at__isnull=True)


def bank_account(access: policy.Access | None, pk) -> BankAccount | None:
    """Return the account pk of the dossier if access may manage its accounts, or None (404).

    Another dossier's account, a removed one, anything that is not a number: nobody's.
    """
    if not policy.may_manage_bank_accounts(access):
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:  # beyond a bigint: PostgreSQL would refuse the query (a 500), SQLite too
        return None
    return BankAccount.objects.select_related("dossier").filter(
        pk=pk, dossier=access.dossier, removed_at__isnull=True
    ).first()


def bank_managers(dossier: Dossier) -> list:
    """Return the active spaces that manage the bank accounts of dossier now: its titulaires and
    active suppléants of a *Payer* service (whom a change of them concerns)."""
    held = (
        Habilitation.objects.filter(
            policy.live(), dossier=dossier, role__in=policy.MANAGERS, service__is_payment=True
        )
        .values("space_id")
    )
    return list(get_user_model().objects.filter(pk__in=held, is_active=True).order_by("pk"))


def space_bank_accounts(space) -> QuerySet[BankAccount]:
    """Return every account (removed ones too) of the dossiers space manages the accounts of now,
    and those space added: what the assistance console shows of it (R-AST-1), oldest first."""
    return (
        BankAccount.objects.filter(Q(dossier__in=bank_dossiers(space)) | Q(created_by=space))
        .select_related("dossier")
        .order_by("created_at", "pk")
    )
