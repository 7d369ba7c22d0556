from django.urls import path

from codes import views

app_name = "codes"

urlpatterns = [
    # J2 "Activez votre espace ou vos services": the one entry for every code
    path("activation", views.code_step_view, name="activation"),
    path("activation/identifiants", views.email_step_view, name="activation_email"),
    path("activation/recapitulatif", views.done_view, name="activation_done"),
    # The recap PDF of the confirmation page, /activation/recapitulatif.pdf, is the accounts
    # app's (espace:activation_recap_pdf): the récapitulatif is a space's data.
]
