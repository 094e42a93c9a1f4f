import logging

from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse

from accounts import two_factor
from accounts.forms import SignInForm

security_log = logging.getLogger("ilacs.security")


class SignInView(auth_views.LoginView):
    """Username and password; then, if owed, the two-factor step (accounts.two_factor).

    django-axes refuses a locked-out username and address before the password is checked (its
    middleware shows templates/accounts/sign_in_locked.html). Every attempt is logged to
    "ilacs.security" with its outcome, the username given and the address.
    """

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        response = super().form_valid(form)  # signs in: a new session key
        pending = two_factor.pending_step_after_password(user)
        _log_sign_in(self.request, user.get_username(), "success", pending=pending)
        if pending is None:
            return response
        self.request.session[two_factor.PENDING_SESSION_KEY] = pending
        target = (
            "accounts:two_factor_verify"
            if pending == two_factor.VERIFY
            else ("accounts:two_factor_setup")
        )
        return redirect(two_factor._with_next(reverse(target), self.get_redirect_url()))

    def form_invalid(self, form):
        locked_out = getattr(self.request, "axes_locked_out", False)
        _log_sign_in(
            self.request,
            form.data.get("username", ""),
            "locked_out" if locked_out else "failure",
        )
        return super().form_invalid(form)


def _log_sign_in(request, username, outcome: str, **extra) -> None:
    level = logging.INFO if outcome == "success" else logging.WARNING
    security_log.log(
        level,
        "sign-in %s",
        outcome,
        extra={
            "event": "sign_in",
            "outcome": outcome,
            # What was typed, cut short: a wrong "username" is sometimes a password.
            "username": str(username)[:150],
            "ip": two_factor.client_ip(request),
            **extra,
        },
    )


sign_in = SignInView.as_view()
sign_out = auth_views.LogoutView.as_view()
