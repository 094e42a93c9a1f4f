from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Dashboards for senior managers and regional viewers, with server-rendered SVG charts."""

    name = "dashboards"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from dashboards import stamps, tasks

        tasks.connect()
        post_migrate.connect(stamps.after_migrate, sender=self, dispatch_uid="dashboards-stamps")
