from django.urls import path

from codes import views

app_name = "codes"

urlpatterns = [
    # J2 "Activez votre espace ou vos services": the one entry for every code
    path("activation", views.code_step_view, name="activation"),
    path("activation/identifiants", views.email_step_view, name="activation_email"),
    path("activation/recapitulatif", views.done_view, name="activation_done"),
    path("activation/recapitulatif.pdf", views.recap_pdf_view, name="activation_recap_pdf"),
]
