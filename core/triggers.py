"""Database triggers kept by the app's code rather than frozen in a migration: dropped and made
again after every `migrate` (each app connects its `install` to post_migrate). So a migration
that rebuilds a table (SQLite does, to add a column with a default or a constraint, and the
table's triggers go with it) is always followed by their return, and a change to a trigger is a
change to the code that makes it, not a new migration."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, transaction


def install(using: str, *, tables: Iterable[str], create: list[str], drop: list[str]) -> bool:
    """Runs `drop` then `create` on database `using` in one transaction. Nothing (False) when a
    table the triggers sit on or read is not there (a migration run backwards, a new database
    part-way through migrating)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if any(table not in existing for table in tables):
        return False
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in [*drop, *create]:
            cursor.execute(statement)
    return True
