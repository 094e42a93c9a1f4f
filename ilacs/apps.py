from django.apps import AppConfig


class IlacsConfig(AppConfig):
    """The project: settings, URLs, the home and error pages, middleware, the demo data."""

    name = "ilacs"
    verbose_name = "ILACS Tracker"
