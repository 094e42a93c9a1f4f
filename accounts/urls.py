from django.urls import path

from accounts import sso, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("sso/start/", sso.sign_in_start, name="sso_start"),
    path("sso/callback/", sso.sign_in_callback, name="sso_callback"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("people/", views.membership_list, name="membership_list"),
    path("people/add/", views.membership_create, name="membership_create"),
    path("people/<int:membership_pk>/", views.membership_edit, name="membership_edit"),
    path(
        "people/<int:membership_pk>/invite-again/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("people/<int:membership_pk>/account/", views.person_active, name="person_active"),
    path("invitation/<uidb64>/<token>/", views.invitation, name="invitation"),
    path(
        "people/<int:membership_pk>/remove/",
        views.membership_delete,
        name="membership_delete",
    ),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/new/", views.api_token_create, name="api_token_create"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
]
