"""No lost updates: optimistic locking for rows people edit in forms.

A form carries the `version` of the row it showed. Saving locks the row (SELECT ... FOR UPDATE on
PostgreSQL; SQLite's write lock serialises writers anyway), compares versions, and refuses the save
if someone else saved first — raising `EditConflict` with the row as it now is and who changed it,
so the page can show their version instead of silently overwriting it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.models import VersionedModel


class EditConflict(Exception):
    """Someone saved the row after the user opened it. `current` is the row as it now is."""

    def __init__(self, current: VersionedModel):
        self.current = current
        # (label, value) pairs of the other person's version, for the page (see their_version).
        self.rows: list[tuple[str, str]] = []
        latest = current.history.select_related("history_user").first()
        self.changed_by = latest.history_user if latest else None
        self.changed_at = latest.history_date if latest else current.updated_at
        super().__init__(self.message)

    @property
    def message(self) -> str:
        who = (
            (self.changed_by.get_full_name() or self.changed_by.get_username())
            if self.changed_by
            else "Someone"
        )
        when = timezone.localtime(self.changed_at)
        return (
            f"{who} changed this at {when:%H:%M} on {when:%-d %B %Y}, after you opened it. "
            "Your changes have not been saved. Check their version below, then make your changes again."
        )


def save_versioned[M: VersionedModel](
    instance: M, *, expected_version: int, user, update_fields: list[str] | None = None
) -> M:
    """Validates and saves `instance` if the stored row is still at `expected_version`; bumps the
    version and records `user` in the history. Raises EditConflict or ValidationError, changing
    nothing."""
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:
            raise EditConflict(current)
        instance.version = current.version + 1
        instance._history_user = user
        instance.full_clean()
        if update_fields is not None:
            update_fields = [*update_fields, "version", "updated_at"]
        instance.save(update_fields=update_fields)
    return instance


def their_version(obj: VersionedModel, names) -> list[tuple[str, str]]:
    """(label, value) for each of `names` that is a field of `obj`, as the other person left it,
    in the words the history pages use (core.history.display_value)."""
    from django.contrib.auth import get_user_model

    from core.history import display_value

    field_names = {f.name for f in obj._meta.concrete_fields} - {"version"}
    rows = []
    for name in dict.fromkeys(names):
        if name not in field_names:
            continue
        model_field = obj._meta.get_field(name)
        related = getattr(obj, name) if model_field.is_relation else None
        users = (
            {related.pk: related}
            if related is not None and model_field.related_model is get_user_model()
            else {}
        )
        value = getattr(obj, model_field.attname)
        rows.append(
            (
                str(model_field.verbose_name).capitalize(),
                display_value(type(obj), name, value, users, related=related),
            )
        )
    return rows
