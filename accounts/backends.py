"""Authentication backends."""

from axes.backends import AxesStandaloneBackend


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
