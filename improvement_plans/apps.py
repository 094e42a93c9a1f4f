from django.apps import AppConfig


class ImprovementPlansConfig(AppConfig):
    """Improvement plans, their actions and the monthly progress updates."""

    name = "improvement_plans"
    verbose_name = "improvement plans"
