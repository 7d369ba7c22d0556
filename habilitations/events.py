"""The audit kinds of habilitations (R-AUDIT-2), under the namespace "habilitations"."""

from core import audit

Kind = audit.EventKinds(
    "habilitations",
    ADHESION_REQUESTED="Demande d'adhésion aux services (courrier envoyé)",
    ADHESION_REFUSED="Demande d'adhésion refusée",
    ADHESION_ACTIVATED="Services activés (titulaire)",
    ADHESION_CANCELLED="Demande d'adhésion annulée",
    LETTER_RESENT="Courrier d'activation renvoyé",
)
