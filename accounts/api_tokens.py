"""Personal API tokens: made, revoked, and checked on each API request.

A token is `ilacs_` and 43 random URL-safe characters (256 bits from `secrets`). Only its SHA-256
digest is stored, and looked up by that digest: a secret of that strength needs no slow hash, and
the lookup is one indexed query. The person sees the secret once, on the page after they make it.

A token reads as its owner, checked on every request against the owner's roles at that moment
(accounts.permissions): it can do no more than they can, and loses what they lose. Every
refusal (unknown, revoked, expired, a switched-off owner) is logged to "ilacs.security" with the
token's id when there is one, never the secret.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts.models import ApiToken

security_log = logging.getLogger("ilacs.security")

PREFIX = "ilacs_"
HINT_LENGTH = len(PREFIX) + 4
# How long a token may be made to last, at most, and what the form offers.
MAX_DAYS = 366
DEFAULT_DAYS = 90


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, expires_on: datetime.date) -> tuple[ApiToken, str]:
    """A new token for `user`, and its secret (shown once, never stored)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        digest=digest(secret),
        hint=secret[:HINT_LENGTH],
        expires_on=expires_on,
    )
    token.full_clean()
    token.save()
    security_log.info(
        "API token created",
        extra={
            "event": "api_token_created",
            "user_id": user.pk,
            "token_id": token.pk,
            "token_name": token.name,
            "expires_on": expires_on.isoformat(),
        },
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, user, token_pk) -> ApiToken:
    """Revokes one of `user`'s own tokens (404 for anyone else's, or none). Revoking a revoked
    token changes nothing."""
    try:
        token = ApiToken.objects.select_for_update().get(pk=token_pk, user=user)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        security_log.warning(
            "access refused: %s",
            "not the user's API token",
            extra={"event": "access_refused", "status": 404, "user_id": user.pk},
        )
        raise Http404("No such token") from None
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        security_log.info(
            "API token revoked",
            extra={
                "event": "api_token_revoked",
                "user_id": user.pk,
                "token_id": token.pk,
                "token_name": token.name,
            },
        )
    return token


def tokens_of(user) -> list[ApiToken]:
    """The person's own tokens, newest first. One query."""
    return list(ApiToken.objects.filter(user=user))


class Refused(PermissionDenied):
    """The token does not let the request in: `reason` says why (for the log, not the client)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def authenticate(secret: str, *, path: str = "") -> ApiToken:
    """The working token with this secret, its owner loaded and its last use recorded; Refused
    (logged) when there is none, or it is revoked or expired, or its owner is switched off. Two
    queries: the token with its owner, and its last use."""
    token = None
    if secret.startswith(PREFIX) and len(secret) < 200:
        token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    if token is None:
        reason = "unknown API token"
    elif token.revoked_at is not None:
        reason = "revoked API token"
    elif token.expires_on < timezone.localdate():
        reason = "expired API token"
    elif not token.user.is_active:
        reason = "API token of a switched-off account"
    else:
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
        return token
    security_log.warning(
        "access refused: %s",
        reason,
        extra={
            "event": "access_refused",
            "status": 401,
            "reason": reason,
            "token_id": token.pk if token else None,
            "user_id": token.user_id if token else None,
            "path": path,
        },
    )
    raise Refused(reason)
