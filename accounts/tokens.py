"""One-time links sent by email: Django's password-reset tokens, and invitations made the same
way with a longer life.

A token is an HMAC of the person's id, their password hash, when they last signed in, their email
address and when it was made (Django's PasswordResetTokenGenerator): it stops working once they
set a password or sign in, and after its time.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """An invitation's link: works once, for INVITATION_DAYS (not PASSWORD_RESET_TIMEOUT), and a
    password reset's token is not an invitation's (nor the other way round)."""

    key_salt = "accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.INVITATION_DAYS * 24 * 3600:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_token_generator = InvitationTokenGenerator()
