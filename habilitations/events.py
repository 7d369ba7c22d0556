"""The audit kinds of habilitations (R-AUDIT-2), under the namespace "habilitations".

An event that concerns two spaces (a designation, a delegation, a substitution) is recorded
once for each (habilitations.services.sharing.record_shared), so that it shows in the
security history of both, with the other party named in words.
"""

from core import audit

Kind = audit.EventKinds(
    "habilitations",
    ADHESION_REQUESTED="Demande d'adhésion aux services (courrier envoyé)",
    ADHESION_REFUSED="Demande d'adhésion refusée",
    ADHESION_ACTIVATED="Services activés (titulaire)",
    ADHESION_CANCELLED="Demande d'adhésion annulée",
    LETTER_RESENT="Courrier d'activation renvoyé",
    # R-SUP-1
    SUPPLEANT_DESIGNATED="Administrateur suppléant désigné",
    SUPPLEANT_ON_HOLD="Administrateur suppléant mis en veille",
    SUPPLEANT_REACTIVATED="Administrateur suppléant réactivé",
    SUPPLEANT_REMOVED="Administrateur suppléant supprimé",
    SUPPLEANT_ENDED="Administrateur suppléant retiré (substitution du titulaire)",
    # R-SUP-1, R-DEL-1: the subscriber number + last name check (throttled)
    DESIGNATION_REFUSED="Désignation refusée (numéro d'abonné ou nom)",
    # R-DEL-1
    DELEGATION_OFFERED="Délégation proposée",
    DELEGATION_ACCEPTED="Délégation acceptée",
    DELEGATION_REFUSED="Délégation refusée",
    DELEGATION_REVOKED="Délégation révoquée",
    DELEGATION_RENOUNCED="Délégation abandonnée par le délégataire",
    DELEGATION_ENDED="Délégation terminée (substitution du titulaire)",
    # R-SUB-1
    SUBSTITUTION_REQUESTED="Demande de substitution du titulaire (courrier envoyé)",
    SUBSTITUTION_CANCELLED="Demande de substitution annulée",
    SUBSTITUTION_ACTIVATED="Substitution effectuée (titulaire)",
    TITULAIRE_SUBSTITUTED="Habilitation de titulaire terminée (substitution)",
    # R-DEL-SPACE-1: a space deleted ends its habilitations
    HABILITATIONS_ENDED="Habilitations terminées (espace supprimé)",
    # R-SUB-1: a substitution refused at "Valider" (as ADHESION_REFUSED for an adhesion)
    SUBSTITUTION_REFUSED="Demande de substitution refusée",
)
