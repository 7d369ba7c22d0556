from django.contrib.auth.views import LoginView
from django.urls import path

from config.urls import urlpatterns as product

urlpatterns = [
    path(
        "stock-login",
        LoginView.as_view(template_name="bench/stock_login.html", next_page="/espace"),
        name="stock_login",
    ),
    *product,
]
