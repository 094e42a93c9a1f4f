from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only JSON API (django-ninja): what the pages show, for Power BI, Excel and other
    tools, read with a personal API token (accounts.api_tokens)."""

    name = "api"
    verbose_name = "API"
