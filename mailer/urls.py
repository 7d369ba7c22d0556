from django.urls import path

from mailer import views

app_name = "mailer"
urlpatterns = [
    path("", views.mailbox, name="mailbox"),
    path("<int:pk>", views.detail, name="detail"),
]
