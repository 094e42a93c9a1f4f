from django.urls import path

from accounts import memberships, two_factor, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("people/", memberships.membership_list, name="membership_list"),
    path("people/add/", memberships.membership_create, name="membership_create"),
    path("people/<int:membership_pk>/", memberships.membership_edit, name="membership_edit"),
    path(
        "people/<int:membership_pk>/remove/",
        memberships.membership_delete,
        name="membership_delete",
    ),
    path("two-factor/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", two_factor.two_factor_setup, name="two_factor_setup"),
]
