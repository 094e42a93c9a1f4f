import sys

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Committee reports: drafted from the data, edited, finalised, exported to Word and PDF."""

    name = "reports"
    verbose_name = "committee reports"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from reports import freezing

        post_migrate.connect(freezing.after_migrate, sender=self, dispatch_uid="reports-freezing")
        if "gunicorn.arbiter" in sys.modules:
            # Serving (gunicorn preloads the app before its workers fork): WeasyPrint is
            # imported and its fonts loaded now, not by the first person to ask for a PDF.
            from reports import pdf

            pdf.warm_up()
