from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Committee reports: drafted from the data, edited, finalised, exported to Word and PDF."""

    name = "reports"
    verbose_name = "committee reports"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from reports import freezing

        post_migrate.connect(freezing.after_migrate, sender=self, dispatch_uid="reports-freezing")
