"""The one catalogue of user-facing error messages, keyed by code (STYLE §4).

Generic messages are deliberately identical across causes: they must not tell an
attacker whether an email has a space, or why a code was refused (R-CODE-2, SPEC §4).
"""

import math
from datetime import datetime, timedelta

from django.conf import settings

from core import clock

MESSAGES = {
    "required": "Ce champ est obligatoire.",
    "logged_out": "Vous êtes déconnecté de votre espace professionnel.",
    "email_invalid": "Saisissez une adresse électronique valide (format attendu : adresse@domaine.fr).",
    "email_too_long": "L'adresse électronique ne doit pas dépasser 100 caractères.",
    "email_mismatch": "Les deux adresses électroniques saisies ne sont pas identiques.",
    "email_taken": (
        "Cette adresse électronique ne peut pas être utilisée pour un nouvel espace : "
        "une adresse électronique ne peut être associée qu'à un seul espace. "
        "Si une demande est en cours, activez-la avec le code reçu (%(code_hours)s h)."
    ),
    "email_certificate": (
        "Vous n'avez plus accès à votre espace abonné avec certificat, vous devez utiliser "
        "la procédure d'option à l'accès sans certificat."
    ),
    "password_mismatch": "Les deux mots de passe saisis ne sont pas identiques.",
    "password_too_short": "Le mot de passe doit comporter %(min)s caractères minimum.",
    "password_too_long": "Le mot de passe doit comporter %(max)s caractères maximum.",
    "password_reused": (
        "Le nouveau mot de passe doit être différent de votre mot de passe actuel "
        "et de vos %(count)s mots de passe précédents."
    ),
    "password_weak": "Le niveau de sécurité de votre mot de passe est trop faible, veuillez ressayer.",  # guide 002
    "password_leaked": "Ce mot de passe figure dans une liste de mots de passe connus ou divulgués : choisissez-en un autre.",
    "siren_invalid": "Le SIREN doit comporter 9 chiffres et être valide (exemple : 123 456 782).",
    "foreign_id_invalid": "L'identifiant doit comporter de 1 à 30 lettres ou chiffres.",
    "phone_invalid": "Saisissez un numéro de téléphone valide (exemple : 01 23 45 67 89 ou +32 2 555 12 12).",
    "answer_length": "La réponse doit comporter de 1 à 100 caractères.",
    "text_too_long": "Ce champ ne doit pas dépasser %(max)s caractères.",
    "text_invalid": "Ce champ contient des caractères non autorisés.",
    "postal_code_invalid": "Le code postal doit comporter 5 chiffres.",
    "cgu_required": "Vous devez accepter les conditions générales pour créer votre espace.",
    "code_format": "Le code d'activation comporte 12 lettres ou chiffres.",
    "code_refused": (
        "Le code d'activation ou l'adresse électronique saisis ne permettent pas l'activation. "
        "Vérifiez votre saisie : le code est valable %(code_hours)s h et ne peut être utilisé qu'une seule fois."
    ),
    "login_refused": "L'adresse électronique ou le mot de passe est incorrect. Vérifiez votre saisie et réessayez.",
    # Any guarded secret (R-THROTTLE-1), for the email (or number) typed: its counters run
    # whether or not a space exists, so the delay tells nothing (docs/decisions.md). While it
    # applies it replaces each form's refusal (core.messages.refusal), so that those refusals
    # speak of a wrong entry only, never of a lock.
    "throttled": "Trop de tentatives : réessayez dans %(minutes)s (à %(at)s, heure de Paris).",
    "too_many_creations": "Trop de demandes de création depuis votre connexion. Réessayez dans une heure.",
    "too_many_email_checks": "Trop de vérifications d'adresses électroniques depuis votre connexion. Réessayez dans une heure.",
    "too_many_levels": "Trop de demandes d'évaluation du mot de passe. Réessayez dans quelques minutes.",
    # Shown as a neutral notice (not an error) on a new start: a browser back or an old tab
    # brings a person here as often as an expired session does.
    "session_lost": "Cette page de création n'est plus en cours. Vous pouvez commencer une nouvelle création ci-dessous.",
    # J7: importing certificate spaces (operators' command)
    "subscriber_number_invalid": "Le numéro d'abonné comporte 14 chiffres.",
    "civility_invalid": "La civilité est « Madame » ou « Monsieur ».",
    "foreign_company_invalid": "« entreprise_etrangere » vaut « oui » ou « non ».",
    "trust_question_invalid": "La question de confiance n'est pas une des questions proposées.",
    "certificate_invalid": "Le certificat n'est pas un certificat X.509 lisible au format PEM.",
    "certificate_taken": "Ce certificat est déjà celui d'un autre espace.",
    # J5 "Mot de passe oublié ?": the same answers whether or not the email has a space.
    "reset_sent": "Si un espace est associé à cette adresse, un courriel vous a été envoyé.",
    "reset_code_format": "Le code reçu par courriel comporte 12 lettres ou chiffres.",
    "reset_code_refused": (
        "Le code ou l'adresse électronique saisis ne permettent pas de réinitialiser le mot de passe. "
        "Vérifiez votre saisie : le code est valable "
        "%(reset_code_hours)s h et ne peut être utilisé qu'une seule fois."
    ),
    "reset_answer_refused": "La réponse à la question de confiance est incorrecte.",
    "reset_code_voided": (
        "Trop de réponses incorrectes : ce code n'est plus valable. "
        "Demandez un nouveau code pour réinitialiser votre mot de passe."
    ),
    "reset_step_lost": "Cette demande n'est plus en cours. Saisissez de nouveau le code reçu par courriel.",
    "too_many_resets": "Trop de demandes depuis votre connexion. Réessayez dans une heure.",
    # J8 "Opter pour l'accès sans certificat"
    "option_email_taken": (
        "Cette adresse électronique est déjà utilisée pour un autre espace : une adresse électronique ne peut "
        "être associée qu'à un seul espace sans certificat. Choisissez une autre adresse électronique."
    ),
    # Outside the space: one answer whether or not the number exists (SPEC §4).
    "option_recovery_sent": (
        "Si ces informations correspondent à un espace avec certificat, un courriel vous a été envoyé."
    ),
    "option_code_refused": (
        "Le numéro d'abonné ou le code saisi ne permet pas de poursuivre. "
        "Vérifiez votre saisie : le code est valable %(reset_code_hours)s h et ne peut être utilisé qu'une seule fois."
    ),
    "too_many_option_requests": (
        "Trop de demandes pour ce numéro d'abonné ou depuis votre connexion. Réessayez dans une heure."
    ),
    "option_lost": (
        "Cette étape de l'option pour l'accès sans certificat n'est plus en cours : recommencez la procédure."
    ),
    # J4 "Modifier mes identifiants de connexion"
    "credentials_nothing": "Cochez au moins une case : adresse électronique, mot de passe ou question de confiance.",
    "current_password_refused": (
        "Le mot de passe actuel est incorrect. Vérifiez votre saisie et réessayez."
    ),
    "email_same": "La nouvelle adresse électronique doit être différente de votre adresse de connexion actuelle.",
    "email_unavailable": (
        "Cette adresse électronique ne peut pas être utilisée : elle est déjà associée à un espace "
        "ou à une demande en cours."
    ),
    # J6 "Mot de passe expiré": one refusal for a wrong old password, an unknown email, a space
    # that has not expired or a certificate space (SPEC §4); a lock says "Trop de tentatives".
    "expired_refused": (
        "L'adresse électronique ou l'ancien mot de passe est incorrect, ou le mot de passe n'a pas expiré. "
        "Vérifiez votre saisie et réessayez."
    ),
    "expired_notice": "Votre mot de passe a expiré : renouvelez-le pour accéder à votre espace professionnel.",
    "choice_invalid": "Ce choix n'est pas possible : choisissez parmi les propositions.",
    # J9 "Adhérer aux services" (R-ADH-1..3)
    "adhesion_company_unknown": (
        "Cette entreprise n'est pas connue du répertoire SIRENE : vérifiez le SIREN saisi, ou "
        "contactez le service des impôts des entreprises (SIE) dont elle dépend."
    ),
    "adhesion_company_closed": (
        "Cette entreprise est cessée selon le répertoire SIRENE : ses services en ligne ne peuvent "
        "plus être demandés. En cas d'erreur, contactez le service des impôts des entreprises (SIE) "
        "dont elle dépend."
    ),
    "adhesion_no_siege": (
        "L'adresse du siège de cette entreprise n'est pas connue : le courrier contenant le code "
        "d'activation ne peut pas lui être envoyé. Contactez le service des impôts des entreprises "
        "(SIE) dont elle dépend."
    ),
    "adhesion_no_service": "Cochez au moins un service.",
    "adhesion_already_held": "Vous êtes déjà titulaire de ces services pour cette entreprise : %(services)s.",
    "adhesion_has_titulaire": (
        "Ces services ont déjà un titulaire pour cette entreprise : %(services)s. Pour les obtenir, "
        "demandez une délégation à leur titulaire, ou remplacez-le par « Remplacer le titulaire (substitution) »."
    ),
    "adhesion_pending": (
        "Une demande d'adhésion est déjà en attente de son code pour ces services : %(services)s. "
        "Utilisez le code du courrier reçu, ou annulez la demande dans « Consulter mes services »."
    ),
    "adhesion_not_pending": "Cette demande n'est plus en attente : elle a été activée, annulée ou a expiré.",
    "adhesion_resent_already": "Le courrier de cette demande a déjà été renvoyé une fois : il ne peut plus l'être.",
    "adhesion_too_many": (
        "Vous avez fait trop de demandes d'adhésion aujourd'hui : chacune envoie un courrier. Réessayez demain."
    ),
    "adhesion_changed": (
        "Votre demande ne peut plus être envoyée telle quelle : la situation de l'entreprise ou des "
        "services a changé. Vérifiez votre saisie."
    ),
    # R-ADH-3: what J11 says after its actions (success notices, shown on the list).
    "adhesion_cancelled": (
        "Votre demande d'adhésion pour %(name)s (SIREN %(siren)s) est annulée : le code du courrier "
        "n'est plus valable."
    ),
    "adhesion_resent": (
        "Un nouveau courrier a été envoyé au siège de %(name)s (SIREN %(siren)s). Le code du courrier précédent "
        "n'est plus valable ; le nouveau code est valable jusqu'au %(until)s."
    ),
    # J14 "Remplacer le titulaire (substitution)" (R-SUB-1)
    "substitution_own": (
        "Vous êtes déjà titulaire de ces services pour cette entreprise : %(services)s. "
        "Un titulaire ne peut pas se remplacer lui-même."
    ),
    "substitution_no_titulaire": (
        "Ces services n'ont pas de titulaire pour cette entreprise : %(services)s. "
        "Demandez-les par « Adhérer aux services »."
    ),
    "substitution_suppleant": (
        "Vous êtes administrateur suppléant du titulaire de ces services : %(services)s. "
        "Un administrateur suppléant ne peut pas remplacer le titulaire qui l'a désigné."
    ),
    "substitution_nothing": (
        "Aucun service de cette entreprise n'a de titulaire que vous pourriez remplacer. Pour les services "
        "sans titulaire, utilisez « Adhérer aux services »."
    ),
    "substitution_cancelled": (
        "Votre demande de substitution pour %(name)s (SIREN %(siren)s) est annulée : le code du courrier "
        "n'est plus valable."
    ),
    # R-SUP-1, R-DEL-1: designating another space (one refusal for every mismatch)
    "designation_unknown": (
        "Aucun espace professionnel actif ne correspond à ce numéro d'abonné et à ce nom : vérifiez votre "
        "saisie auprès de la personne que vous voulez désigner."
    ),
    "designation_throttled": (
        "Vous avez fait trop de recherches d'espaces professionnels en peu de temps. Réessayez dans une heure."
    ),
    # R-SUP-1 "Gérer mes administrateurs suppléants"
    "suppleant_self": "Vous ne pouvez pas vous désigner vous-même comme administrateur suppléant.",
    "suppleant_already": (
        "Cet espace professionnel est déjà votre administrateur suppléant pour ce dossier : retrouvez-le dans "
        "la liste de vos administrateurs suppléants."
    ),
    "suppleant_not_titulaire": "Vous n'êtes titulaire d'aucun service de ce dossier.",
    "suppleant_state_changed": (
        "Cet administrateur suppléant a changé d'état entre-temps : la liste ci-dessous est à jour, "
        "vérifiez-la avant de recommencer."
    ),
    "suppleant_expired": (
        "La confirmation a expiré ou ne correspond plus à ce dossier : saisissez de nouveau le numéro d'abonné "
        "et le nom."
    ),
    "suppleant_designated": "%(person)s est désormais votre administrateur suppléant pour %(name)s (SIREN %(siren)s).",
    "suppleant_on_hold": "%(person)s est mis en veille pour %(name)s (SIREN %(siren)s) : il n'a plus accès au dossier.",
    "suppleant_reactivated": "%(person)s est réactivé pour %(name)s (SIREN %(siren)s) : il a de nouveau accès au dossier.",
    "suppleant_removed": "%(person)s n'est plus votre administrateur suppléant pour %(name)s (SIREN %(siren)s).",
    # R-COORD-1 (J15)
    "coordinates_nothing": "Vous n'avez modifié aucune de vos coordonnées.",
    # R-DEL-SPACE-1 (J16)
    "deletion_titulaire": (
        "Votre espace ne peut pas être supprimé : il est titulaire des services ci-dessous. Un autre espace "
        "doit d'abord en devenir titulaire (substitution du titulaire)."
    ),
    # R-ENT-1: "Modifier l'adresse électronique de l'entreprise"
    "company_email_unchanged": "Cette adresse est déjà l'adresse électronique de l'entreprise.",
    "company_email_throttled": (
        "Vous avez fait trop de demandes de modification de l'adresse électronique de l'entreprise en peu de "
        "temps : chacune envoie un code. Réessayez dans une heure."
    ),
    # R-BANK-1: a bank account and its SEPA B2B mandate (entreprise.sepa)
    "iban_invalid": (
        "L'IBAN doit commencer par le code du pays (2 lettres) et la clé (2 chiffres), suivis du numéro de "
        "compte, par exemple FR76 3000 6000 0112 3456 7890 189."
    ),
    "iban_outside_sepa": (
        "Ce compte n'est pas tenu dans la zone SEPA : seul un compte de la zone SEPA peut être prélevé."
    ),
    "iban_length": "L'IBAN d'un compte de ce pays comporte %(length)s caractères : vérifiez votre saisie.",
    "iban_checksum": "L'IBAN saisi est erroné (sa clé de contrôle ne correspond pas) : vérifiez votre saisie.",
    "iban_format": "L'IBAN ne respecte pas le format des comptes de ce pays : vérifiez votre saisie.",
    "bic_invalid": (
        "Le BIC comporte 8 ou 11 caractères : 4 lettres (banque), 2 lettres (pays), 2 lettres ou chiffres "
        "(emplacement), éventuellement 3 lettres ou chiffres (agence)."
    ),
    "bic_required": "Le BIC est obligatoire pour un compte tenu hors de l'Espace économique européen.",
    "bank_account_duplicate": "Ce compte bancaire est déjà enregistré pour cette entreprise.",
    "bank_account_added": (
        "Le compte bancaire a été ajouté. Éditez le mandat, signez-le et remettez-le à votre banque : le "
        "statut « Interentreprises/B2B » deviendra « Valide » quand votre banque l'aura enregistré."
    ),
    "bank_account_removed": "Le compte bancaire %(iban)s a été supprimé.",
    # R-DEL-1 "Gérer mes délégations"
    "delegation_not_allowed": "Vous ne pouvez pas déléguer les services de cette entreprise.",
    "delegation_no_service": "Cochez au moins un service à déléguer.",
    "delegation_services_not_managed": (
        "Vous ne pouvez déléguer que les services dont vous êtes titulaire ou administrateur suppléant : "
        "%(services)s ne peuvent pas être délégués."
    ),
    "delegation_date_invalid": "Saisissez une date de fin valide, par exemple 31/12/2027.",
    "delegation_end_past": "La date de fin ne peut pas être passée : choisissez aujourd'hui ou une date ultérieure.",
    "delegation_delegate_holds": "Cette personne dispose déjà de ces services pour cette entreprise : %(services)s.",
    "delegation_already_offered": (
        "Une délégation de ces services à cette personne attend déjà sa réponse : %(services)s."
    ),
    "delegation_not_offered": "Cette délégation n'est plus en attente de réponse : elle ne peut plus être acceptée ni refusée.",
    "delegation_expired": "Le délai de réponse de cette délégation est dépassé : elle n'est plus valable.",
    "delegation_nothing_left": (
        "Les services de cette délégation ne peuvent plus vous être délégués par la personne qui vous l'a "
        "proposée : elle ne peut pas être acceptée."
    ),
    "delegation_not_active": "Cette délégation n'est plus en cours.",
    "delegation_changed": (
        "Votre délégation ne peut plus être proposée telle quelle : la situation a changé. Vérifiez votre saisie."
    ),
    "delegation_offered_done": (
        "Votre délégation a été proposée à %(person)s. Elle ne sera effective qu'après son acceptation, "
        "au plus tard le %(until)s."
    ),
    "delegation_accepted_done": "Vous avez accepté la délégation pour %(name)s (SIREN %(siren)s) : ses services figurent dans votre espace.",
    "delegation_refused_done": "Vous avez refusé la délégation pour %(name)s (SIREN %(siren)s).",
    "delegation_revoked_done": "La délégation donnée à %(person)s pour %(name)s (SIREN %(siren)s) est révoquée.",
    "delegation_renounced_done": "Vous avez renoncé à la délégation pour %(name)s (SIREN %(siren)s).",
    # R-AST-1: the assistance console
    "assistance_login_failed": "Adresse électronique ou mot de passe incorrect.",
    "assistance_code_failed": "Code incorrect ou déjà utilisé.",
    "assistance_reason_length": "Le motif doit comporter de %(min)s à %(max)s caractères.",
    "assistance_search_empty": "Saisissez un numéro d'abonné, une adresse électronique, un SIREN ou un nom.",
    "assistance_no_password": "Cet espace n'a pas d'accès par mot de passe : il n'a pas de délai de connexion.",
    "assistance_date_invalid": "Saisissez une date valide (format attendu : JJ/MM/AAAA).",
    "assistance_bank_removed": "Ce compte bancaire a été supprimé : son mandat ne peut plus être confirmé.",
    "assistance_bank_not_pending": (
        "Le mandat de ce compte n'est pas en attente : sa confirmation par la banque est déjà enregistrée."
    ),
}


def rule_values() -> dict:
    """Return the rule values that messages and templates quote, read from settings (STYLE §4)."""
    return {
        "code_hours": int(settings.ACTIVATION_CODE_TTL.total_seconds() // 3600),
        "reset_code_hours": int(settings.RESET_CODE_TTL.total_seconds() // 3600),
        "company_email_code_hours": int(settings.COMPANY_EMAIL_CODE_TTL.total_seconds() // 3600),
        "password_min": settings.PASSWORD_MIN_LENGTH,
        "password_max": settings.PASSWORD_MAX_LENGTH,
        "password_validity_years": settings.PASSWORD_VALIDITY_YEARS,
        "password_history": settings.PASSWORD_HISTORY_SIZE,
        "security_history_days": settings.SECURITY_HISTORY_DAYS,
        "audit_retention_days": settings.AUDIT_RETENTION.days,
        "adhesion_code_days": settings.ADHESION_CODE_TTL.days,
        "habilitations_ended_days": settings.HABILITATIONS_ENDED_DAYS,
        "delegation_answer_days": settings.DELEGATION_ANSWER_TTL.days,
    }


def message(code: str, **params) -> str:
    """Return the French message for code, formatted with the rule values and params."""
    return MESSAGES[code] % {**rule_values(), **params}


def throttled(until: datetime) -> str:
    """Return "Trop de tentatives : réessayez dans N minutes (à HHhMM, heure de Paris)."

    Both figures are rounded up, never down: at the minute shown the refusal is over.
    """
    left = max(until - clock.now(), timedelta(0))
    minutes = max(1, math.ceil(left / timedelta(minutes=1)))
    at = clock.paris(until)
    if at.second or at.microsecond:
        at = at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return message("throttled", minutes=f"{minutes} minute{'s' if minutes > 1 else ''}", at=f"{at:%H}h{at:%M}")


def refusal(code: str, until: datetime | None) -> str:
    """Return the throttled message while a refusal has an end (until), else message(code)."""
    return message(code) if until is None else throttled(until)
