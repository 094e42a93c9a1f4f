from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Committee reports: drafted from the data, edited, finalised, exported to Word and PDF."""

    name = "reports"
    verbose_name = "committee reports"
