"""Pages that belong to the whole service: home, accessibility statement, error pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.http import allow
from ilacs.home import home_for


@allow("GET")
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the person does now, by role (ilacs.home)."""
    home = home_for(request.user, today=timezone.localdate(), query=request.GET)
    return render(request, "ilacs/home.html", {"home": home, "authorities": home.authorities})


@allow("GET")
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "ilacs/accessibility.html")


def _error(request: HttpRequest, status: int, heading: str, *paragraphs: str) -> HttpResponse:
    return render(
        request,
        "ilacs/error.html",
        {"heading": heading, "paragraphs": paragraphs},
        status=status,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "You cannot do this",
        "Your role lets you read this, but not change it.",
        "If you think you should be able to, ask an administrator to change your role.",
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct.",
        "If you pasted the web address, check you copied the entire address.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context here: the failure may have been in a context processor or the database.
    from django.template import loader

    template = loader.get_template("ilacs/500.html")
    return HttpResponse(template.render({}), status=500)


@allow("GET", "POST")
def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """Where the Django admin sends someone it will not let in. Signed out: the service's own
    sign-in (lockout, two-factor), then back. Signed in without staff access: "You cannot do
    this", not the sign-in page (which would send them straight back here, for ever)."""
    if request.user.is_authenticated:
        return permission_denied(request)
    query = request.GET.urlencode(safe="/")
    return redirect(f"{reverse('accounts:sign_in')}{'?' + query if query else ''}")
