from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Dashboards for senior managers and regional viewers, with server-rendered SVG charts."""

    name = "dashboards"

    def ready(self) -> None:
        from dashboards import tasks

        tasks.connect()
