"""Reading django-simple-history records as a person reads a history: who changed what, when,
and each field's value before and after, in words."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import capfirst


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str  # "Area for improvement", "Action: …", "Update for March 2026"
    kind: str  # Created, Changed, Deleted
    changes: list[FieldChange] = field(default_factory=list)


_HISTORY_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}
_SKIPPED_FIELDS = {"id", "version", "created_at", "updated_at", "order"}


def display_value(model, field_name: str, value, users: dict, *, related=None) -> str:
    """A stored value in words: names for people (from `users`, by id), labels for choices, and
    other related rows by their own name when the caller has `related` loaded."""
    model_field = model._meta.get_field(field_name)
    if value in (None, ""):
        return "(blank)"
    if model_field.is_relation:
        if model_field.related_model is get_user_model():
            user = users.get(value)
            return person_name(user) if user else "(someone removed)"
        return str(related) if related is not None else f"#{value}"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, str(value))
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
        return f"{value:%H:%M} on {value.day} {value:%B %Y}"
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def person_name(user) -> str:
    """A person as the history names them; None is a change the system made."""
    if user is None:
        return "The system"
    return user.get_full_name() or user.get_username()


def entries_for(records: list, model, describe, users: dict) -> list[HistoryEntry]:
    """One entry per history record, with the fields that changed since the object's previous
    record. `records` holds every record of each object, so no query runs here."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.name not in _SKIPPED_FIELDS and not f.name.startswith("history")
    ]
    by_object: dict[int, list] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for object_records in by_object.values():
        for previous, record in pairwise([None, *object_records]):
            changes = []
            if record.history_type == "~" and previous is not None:
                for model_field in fields:
                    old = getattr(previous, model_field.attname)
                    new = getattr(record, model_field.attname)
                    if old != new:
                        changes.append(
                            FieldChange(
                                field=capfirst(str(model_field.verbose_name)),
                                old=display_value(model, model_field.name, old, users),
                                new=display_value(model, model_field.name, new, users),
                            )
                        )
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=person_name(record.history_user),
                    what=describe(record),
                    kind=_HISTORY_TYPES[record.history_type],
                    changes=changes,
                )
            )
    return entries


def merged_history(*sources: tuple[list, type, Callable]) -> list[HistoryEntry]:
    """The entries of each (history records, model, describe(record) -> what) source together,
    newest first. The people the records' user fields name (a lead, an author) are fetched in one
    query, and only when there are any."""
    user_model = get_user_model()
    user_ids = {
        getattr(record, model_field.attname)
        for records, model, _ in sources
        for model_field in model._meta.concrete_fields
        if model_field.is_relation and model_field.related_model is user_model
        for record in records
    } - {None}
    users = user_model.objects.in_bulk(user_ids) if user_ids else {}
    entries = [
        entry
        for records, model, describe in sources
        for entry in entries_for(records, model, describe, users)
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
