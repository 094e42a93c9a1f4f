"""Who an API request is, and how often they may ask: a personal API token in the Authorization
header (accounts.api_tokens), and a limit on requests per token.

Each request with a working token is logged to "ilacs.api" with the token's name and id, its
owner and the path; refusals are logged by accounts.api_tokens to "ilacs.security". The token's
owner becomes the request's user, so every read is scoped exactly as the pages scope it
(accounts.permissions) and the response is never stored by a browser or proxy
(ilacs.middleware.no_store_for_signed_in).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from accounts import api_tokens
from accounts.models import ApiToken

api_log = logging.getLogger("ilacs.api")


class BearerToken(HttpBearer):
    """`Authorization: Bearer ilacs_...`: the working token, or None (a 401)."""

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        # Read here rather than by HttpBearer, which logs a malformed header whole in DEBUG: a
        # header may hold a secret.
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            return None
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        try:
            found = api_tokens.authenticate(token, path=request.path)
        except api_tokens.Refused:
            return None
        request.user = found.user
        api_log.info(
            "API request",
            extra={
                "event": "api_request",
                "token_id": found.pk,
                "token_name": found.name,
                "user_id": found.user_id,
                "username": found.user.get_username(),
                "method": request.method,
                "path": request.path,
                "query": request.META.get("QUERY_STRING", "")[:500],
            },
        )
        return found


class TokenRate(BaseThrottle):
    """At most settings.API_RATE_LIMIT requests per token in each minute (a fixed window, counted
    on the token's own row, shared by every app server: accounts.api_tokens.record_use, which
    also records the token's use); then 429 with Retry-After."""

    WINDOW_SECONDS = 60

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if token is None:
            return True
        if api_tokens.record_use(token, limit=settings.API_RATE_LIMIT):
            return True
        api_log.warning(
            "API rate limit reached",
            extra={
                "event": "api_rate_limited",
                "token_id": token.pk,
                "token_name": token.name,
                "user_id": token.user_id,
                "path": request.path,
            },
        )
        return False

    def wait(self) -> float:
        """Seconds until the next window (whatever the request: the instance is shared)."""
        return self.WINDOW_SECONDS - time.time() % self.WINDOW_SECONDS
