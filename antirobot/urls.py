from django.urls import path

from antirobot import views

app_name = "antirobot"
urlpatterns = [
    path("nouveau", views.new, name="new"),
    path("<str:key>/image.png", views.image, name="image"),
    path("<str:key>/audio.wav", views.audio, name="audio"),
    path("<str:key>/prolonger", views.extend, name="extend"),
]
