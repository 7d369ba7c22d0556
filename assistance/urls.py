from django.urls import path

from assistance import views

app_name = "assistance"

# Mounted under /assistance/ (config.urls); assistance.middleware answers 404 for all of it
# outside ASSISTANCE_NETWORKS.
urlpatterns = [
    path("", views.home, name="home"),
    path("connexion", views.login, name="login"),
    path("connexion/code", views.second_factor, name="second_factor"),
    path("deconnexion", views.logout, name="logout"),
    path("second-facteur", views.enrol_totp, name="enrol_totp"),
    path("enrolement/<str:token>", views.enrol, name="enrol"),
    path("historique", views.history, name="history"),
    path("espaces/<str:number>", views.space, name="space"),
    path("espaces/<str:number>/historique", views.space_history, name="space_history"),
    path("espaces/<str:number>/actions/<str:action>", views.act, name="act"),
    path("espaces/<str:number>/actions/<str:action>/<int:target>", views.act, name="act_on"),
]
