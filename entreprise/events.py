"""The audit kinds of entreprise (R-AUDIT-2), under the namespace "entreprise"."""

from core import audit

Kind = audit.EventKinds(
    "entreprise",
    # R-ENT-1
    COMPANY_EMAIL_REQUESTED="Changement de l'adresse électronique de l'entreprise demandé",
    COMPANY_EMAIL_CHANGED="Adresse électronique de l'entreprise modifiée",
    # R-BANK-1
    BANK_ACCOUNT_ADDED="Compte bancaire ajouté",
    BANK_MANDATE_EDITED="Mandat SEPA interentreprises édité",
    BANK_MANDATE_CONFIRMED="Mandat SEPA interentreprises confirmé par la banque",
    BANK_ACCOUNT_REMOVED="Compte bancaire supprimé",
)
