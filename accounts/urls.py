from django.urls import path

from accounts import two_factor, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("two-factor/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", two_factor.two_factor_setup, name="two_factor_setup"),
]
