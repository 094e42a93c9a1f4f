"""Project-wide middleware."""

from collections.abc import Callable

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
