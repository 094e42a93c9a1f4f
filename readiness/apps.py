from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    """Between inspections: evidence files, the evidence library, the readiness checklist and the
    annual engagement meeting's record."""

    name = "readiness"
