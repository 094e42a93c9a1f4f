from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-in, sign-out and authority memberships (roles)."""

    name = "accounts"
