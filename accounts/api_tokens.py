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
from django.db.models import Case, F, Q, Value, When
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
    """The working token with this secret, its owner loaded; Refused (logged) when there is
    none, or it is revoked or expired, or its owner is switched off. One query: the token with
    its owner (its use is recorded by `record_use`, with the rate limit)."""
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


def record_use(token: ApiToken, *, limit: int, now: datetime.datetime | None = None) -> bool:
    """Counts a request of `token` in the current minute and records its use, in one UPDATE
    (the row is held for that moment, so app servers answering at once count every request):
    True when the request is within `limit` requests in the minute; False, and nothing
    changed, when the minute has had `limit` already."""
    now = now or timezone.now()
    minute = int(now.timestamp() // 60)
    counted = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(rate_minute__lt=minute) | Q(rate_count__lt=limit))
        .update(
            last_used_at=now,
            # Both read the row as it was: a new minute starts its count at 1.
            rate_count=Case(When(rate_minute=minute, then=F("rate_count") + 1), default=Value(1)),
            rate_minute=minute,
        )
    )
    if counted:
        token.last_used_at = now
    return bool(counted)
