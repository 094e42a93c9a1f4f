"""The HTTP methods a view answers, spelled one way everywhere: `@allow("GET")` for a page that
only shows, `@allow("GET", "POST")` for a page with a form, `@allow("POST")` for a button's
target. Anything else is answered 405 Method Not Allowed."""

from collections.abc import Callable

from django.views.decorators.http import require_http_methods


def allow(*methods: str) -> Callable:
    """The view answers only `methods`; HEAD wherever GET is (a HEAD is a GET without a body)."""
    allowed = [method.upper() for method in methods]
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.append("HEAD")
    return require_http_methods(allowed)
