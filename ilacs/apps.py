from django.apps import AppConfig


class IlacsConfig(AppConfig):
    """Project-wide pieces: base templates' context, error views, shared model helpers."""

    name = "ilacs"
    verbose_name = "ILACS Tracker"
