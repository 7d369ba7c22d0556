"""The audit kinds of the assistance console (R-AST-1), under the namespace "assistance".

The agents' own sign-ins are recorded without a space. An action on a space is recorded
with ``space=`` that space, so that its security history shows it, under the one label
"Action de l'assistance"; the detail names the agent and the reason (the agents' history
shows them, the space's history shows no detail).
"""

from core import audit

ACTION_LABEL = "Action de l'assistance"

Kind = audit.EventKinds(
    "assistance",
    AGENT_CREATED="Assistance : agent créé",
    AGENT_DEACTIVATED="Assistance : agent désactivé",
    ENROLLED="Assistance : mot de passe et second facteur enrôlés",
    REENROLMENT="Assistance : nouveau lien d'enrôlement (anciens identifiants révoqués)",
    LOGIN_OK="Assistance : connexion d'un agent",
    LOGIN_FAILED="Assistance : connexion refusée",
    LOGIN_THROTTLED="Assistance : connexion bloquée (limitation)",
    SECOND_FACTOR_FAILED="Assistance : code du second facteur refusé",
    RECOVERY_CODE_USED="Assistance : code de secours utilisé",
    LOGOUT="Assistance : déconnexion d'un agent",
    SESSION_EXPIRED="Assistance : session expirée",
    # What an agent looked at (R-AST-1: every agent action names the agent). Recorded without
    # ``space=``: the agents' history shows them, the space's own history does not.
    SEARCHED="Assistance : recherche d'un espace",
    SPACE_VIEWED="Assistance : consultation d'un espace",
    SPACE_HISTORY_VIEWED="Assistance : consultation de l'historique d'un espace",
    # Actions on a space (assistance.services.actions): the space sees the one label.
    DELAY_LIFTED=ACTION_LABEL,
    LETTER_RESENT=ACTION_LABEL,
    BANK_MANDATE_CONFIRMED=ACTION_LABEL,
)
