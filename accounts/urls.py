from django.urls import path

from accounts.views import (
    certificate,
    coordinates,
    credentials,
    deletion,
    expiry,
    home,
    login,
    option,
    pages,
    recap,
    recovery,
    registration,
)

app_name = "espace"

urlpatterns = [
    # J3
    path("", login.login_view, name="login"),
    path("deconnexion", login.logout_view, name="logout"),
    path("espace", home.home_view, name="home"),
    path("espace/gerer", home.manage_view, name="manage"),
    path("espace/recapitulatif.pdf", home.recap_pdf_view, name="recap_pdf"),
    path("mot-de-passe/niveau", registration.password_level_view, name="password_level"),
    # J1
    path("creation", registration.choice_view, name="creation_choice"),
    path("creation/conditions-generales", registration.cgu_step_view, name="creation_cgu"),
    path("creation/identifiants", registration.credentials_step_view, name="creation_credentials"),
    path("creation/formulaire", registration.form_step_view, name="creation_form"),
    path("creation/inscription", registration.summary_step_view, name="creation_summary"),
    path("creation/code-envoye", registration.sent_view, name="creation_sent"),
    # J2's confirmation (codes:activation_done) offers the recap of the space it activated
    path("activation/recapitulatif.pdf", recap.activation_recap_pdf_view, name="activation_recap_pdf"),
    path("conditions-generales", registration.cgu_view, name="cgu"),
    # Static pages (footer, "Besoin d'aide ?")
    path("aide", pages.help_view, name="help"),
    path("accessibilite", pages.accessibility_view, name="accessibility"),
    path("mentions-legales", pages.legal_view, name="legal"),
    path("donnees-personnelles", pages.privacy_view, name="privacy"),
    # J4 "Modifier mes identifiants de connexion"
    path("espace/identifiants", credentials.change_view, name="credentials"),
    path("espace/identifiants/enregistrement", credentials.done_view, name="credentials_done"),
    #
    # J5 "Mot de passe oublié ?"
    path("mot-de-passe-oublie", recovery.forgot_view, name="forgot"),
    path("mot-de-passe-oublie/code", recovery.code_view, name="forgot_code"),
    path("mot-de-passe-oublie/nouveau", recovery.reset_view, name="forgot_reset"),
    path("mot-de-passe-oublie/termine", recovery.done_view, name="forgot_done"),
    #
    # J6 expiry: alert, "Mot de passe expiré", security history
    path("espace/alerte-expiration", expiry.alert_view, name="expiry_alert"),
    path("mot-de-passe-expire", expiry.email_step_view, name="expired"),
    path("mot-de-passe-expire/nouveau", expiry.password_step_view, name="expired_password"),
    path("mot-de-passe-expire/recapitulatif", expiry.done_view, name="expired_done"),
    path("espace/historique", expiry.history_view, name="security_history"),
    # J7 certificate login
    path("certificat", certificate.certificate_login_view, name="certificate_login"),
    # J8 option for password access, inside and outside the space
    path("espace/option-sans-certificat", option.warning_view, name="option"),
    path("espace/option-sans-certificat/identifiants", option.credentials_view, name="option_credentials"),
    path("espace/option-sans-certificat/question", option.trust_view, name="option_trust"),
    path("espace/option-sans-certificat/code-envoye", option.sent_view, name="option_sent"),
    path("option-sans-certificat", option.recovery_view, name="option_recovery"),
    path("option-sans-certificat/code", option.recovery_code_view, name="option_recovery_code"),
    path("option-sans-certificat/identifiants", option.recovery_credentials_view, name="option_recovery_credentials"),
    path("option-sans-certificat/question", option.recovery_trust_view, name="option_recovery_trust"),
    path("option-sans-certificat/code-envoye", option.recovery_sent_view, name="option_recovery_sent"),
    path("option-sans-certificat/recapitulatif", option.recovery_done_view, name="option_recovery_done"),
    #
    # J15 "Modifier mes coordonnées" (R-COORD-1)
    path("espace/coordonnees", coordinates.change_view, name="coordinates"),
    path("espace/coordonnees/enregistrement", coordinates.done_view, name="coordinates_done"),
    # J16 "Supprimer mon espace professionnel" (R-DEL-SPACE-1); the last page is outside the space
    path("espace/supprimer", deletion.warning_view, name="delete"),
    path("espace/supprimer/confirmation", deletion.confirm_view, name="delete_confirm"),
    path("espace-supprime", deletion.done_view, name="deleted"),
]
