"""Project-wide middleware."""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


def no_store_for_signed_in(get_response: Callable[[HttpRequest], HttpResponse]):
    """Pages shown to a signed-in user hold children's services data: no browser or proxy may
    store them (a shared computer's back button, a caching proxy)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware


def reject_null_characters(get_response: Callable[[HttpRequest], HttpResponse]):
    """A NUL character in any submitted name or value is refused with the 400 page before any view
    runs. No person types one; PostgreSQL cannot store or even compare text holding one, so a view
    that looks something up by a raw parameter would otherwise fail with a server error. (Forms
    already refuse NUL in their fields; this covers everything else.)"""

    def middleware(request: HttpRequest) -> HttpResponse:
        for parameters in (request.GET, request.POST):
            for name, values in parameters.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    raise BadRequest("NUL character in a request parameter")
        return get_response(request)

    return middleware
