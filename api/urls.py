"""The API's addresses (mounted at /api/v1/): django-ninja's, with its root answering with where
the description and the lists are instead of a 404."""

from django.urls import path

from api import views

app_name = "api"


def _patterns() -> list:
    patterns, _app_name, _namespace = views.api.urls
    return [
        path("", views.index, name="api-root")
        if getattr(pattern, "name", "") == "api-root"
        else pattern
        for pattern in patterns
    ]


urlpatterns = _patterns()
