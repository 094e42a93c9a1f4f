"""Health check for load balancers and monitoring, and the page shown when the database is down."""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache

from core.http import allow
from ilacs import views

log = logging.getLogger("ilacs.health")

# Seconds a client should wait before trying again while the database is unavailable.
RETRY_AFTER = 10


@never_cache
@allow("GET")
def health(request: HttpRequest) -> JsonResponse:
    """200 when this app server can query the database, 503 when it cannot. Public: it reveals
    nothing but whether the service is up."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.warning("health check: database unavailable", exc_info=True)
        response = JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


def _unavailable() -> HttpResponse:
    # Rendered without a request context: the context processors may need the database.
    page = loader.get_template("ilacs/503.html").render({"retry_after": RETRY_AFTER})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _caused_by_lost_database(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400. Saving the session at the end of a request during a database outage surfaces
    as a 400 (Django's SessionInterrupted): that is the outage, so it gets the 503 page too."""
    if _caused_by_lost_database(exception):
        return _unavailable()
    return views._error(
        request,
        400,
        "Sorry, there is a problem with your request",
        "Go back and try again. If you were signed out, sign in again first.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a lost database connection (a restart, a failover) is a temporary outage, so
    the person gets a 503 page asking them to try again shortly; any other error the 500 page."""
    if _caused_by_lost_database(sys.exc_info()[1]):
        return _unavailable()
    return views.server_error(request)
