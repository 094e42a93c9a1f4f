from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """Authorities, frameworks, inspections, judgements and findings."""

    name = "inspections"
