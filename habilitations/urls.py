from django.urls import path

from habilitations.views import adhesion, delegations, dossiers, habilitations, substitution, suppleants

app_name = "habilitations"

# Every view with an id (in its path or its form) asks habilitations.policy (R-HAB-2):
# tests/habilitations walks these patterns with another space's ids and expects 404.
# SIRENs and service codes are slugs in paths: a byte no SIREN or code holds (NUL, "%") never
# reaches a query.
urlpatterns = [
    # J9 "Adhérer aux services"
    path("espace/services/adherer", adhesion.form_view, name="adhesion"),
    path("espace/services/adherer/recapitulatif", adhesion.recap_view, name="adhesion_recap"),
    path("espace/services/adherer/courrier", adhesion.sent_view, name="adhesion_sent"),
    # J11 "Consulter mes services (habilitations)" (R-HAB-1) and its pending requests (R-ADH-3)
    path("espace/services/habilitations", habilitations.list_view, name="list"),
    path("espace/services/demandes/<int:pk>/annuler", habilitations.cancel_view, name="cancel"),
    path("espace/services/demandes/<int:pk>/renvoyer", habilitations.resend_view, name="resend"),
    # R-HOME-1 "Voir tous mes dossiers", "Choisir ce dossier"
    path("espace/dossiers", dossiers.list_view, name="dossiers"),
    path("espace/dossiers/choisir", dossiers.choose_view, name="choose_dossier"),  # POST siren
    # The dossier page (after "choisir": a SIREN is digits, never that word)
    path("espace/dossiers/<slug:siren>", dossiers.dossier_view_page, name="dossier"),
    # R-HOME-2 the page of a service held on a dossier
    path("espace/dossiers/<slug:siren>/services/<slug:code>", dossiers.service_view, name="service"),
    # J12 "Gérer mes administrateurs suppléants" (R-SUP-1)
    path("espace/partage/suppleants", suppleants.list_view, name="suppleants"),
    path("espace/dossiers/<slug:siren>/suppleants/designer", suppleants.designate_view, name="suppleant_designate"),
    path("espace/dossiers/<slug:siren>/suppleants/<int:pk>/veille", suppleants.hold_view, name="suppleant_hold"),
    path("espace/dossiers/<slug:siren>/suppleants/<int:pk>/reactiver", suppleants.reactivate_view, name="suppleant_reactivate"),
    path("espace/dossiers/<slug:siren>/suppleants/<int:pk>/supprimer", suppleants.remove_view, name="suppleant_remove"),
    # J13 "Gérer mes délégations" (R-DEL-1)
    path("espace/partage/delegations", delegations.list_view, name="delegations"),
    path("espace/dossiers/<slug:siren>/delegations/deleguer", delegations.new_view, name="delegation_new"),
    path("espace/dossiers/<slug:siren>/delegations/recapitulatif", delegations.recap_view, name="delegation_recap"),
    path("espace/dossiers/<slug:siren>/delegations/<int:pk>/revoquer", delegations.revoke_view, name="delegation_revoke"),
    path("espace/delegations/<int:pk>/accepter", delegations.accept_view, name="delegation_accept"),
    path("espace/delegations/<int:pk>/refuser", delegations.refuse_view, name="delegation_refuse"),
    path("espace/delegations/<int:pk>/renoncer", delegations.renounce_view, name="delegation_renounce"),
    # J14 "Remplacer le titulaire (substitution)" (R-SUB-1): J9's pages for services that have a titulaire
    path("espace/services/substitution", substitution.form_view, name="substitution"),
    path("espace/services/substitution/recapitulatif", substitution.recap_view, name="substitution_recap"),
    path("espace/services/substitution/courrier", substitution.sent_view, name="substitution_sent"),
]
