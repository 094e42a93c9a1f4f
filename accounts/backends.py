"""Authentication backends, and the sign-in lockout's handler."""

import datetime

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone


class SignInProtectionBackend(AxesStandaloneBackend):
    """django-axes' lockout check for sign-ins from a web request.

    Every sign-in page (ours, and the admin's, which redirects to ours) passes the request, so the
    lockout always applies there. `authenticate()` without a request (the test client's `login()`,
    a management command) has no address to lock and is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class SignInLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second limit, against password spraying.

    Axes counts failures per username and address (AXES_LOCKOUT_PARAMETERS: 10, then the
    username is locked out from that address). A spray tries a few passwords on each of many
    usernames, so that count never grows; this also counts every failure from the address,
    whatever the username, in axes' own failure log: SIGN_IN_ADDRESS_LIMIT of them within
    SIGN_IN_ADDRESS_MINUTES and every sign-in from the address is refused, with the same page,
    until the oldest of them falls out of the window. Axes has one limit for all its lockout
    parameters, hence this handler rather than a setting.
    """

    def get_failures(self, request, credentials=None) -> int:
        per_account = super().get_failures(request, credentials)
        limit = settings.SIGN_IN_ADDRESS_LIMIT
        if not limit or not getattr(request, "axes_ip_address", None):
            return per_account
        since = timezone.now() - datetime.timedelta(minutes=settings.SIGN_IN_ADDRESS_MINUTES)
        from_address = AccessFailureLog.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=since
        ).count()
        if from_address >= limit:
            # Locked out as if this username had reached its own limit: the same refusal.
            return max(per_account, get_failure_limit(request, credentials))
        return per_account
