from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: model bases, versioning and edit conflicts, reading the history, months,
    form helpers and charts. It imports no other app of the project; every app may import it."""

    name = "core"
    verbose_name = "Shared foundations"
