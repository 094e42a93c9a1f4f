"""Puts the stamp triggers of 0002 back after migrations that rebuild a table they sit on.

SQLite cannot add a column with a default, or a CHECK constraint, in place: Django rebuilds the
table (create a new one, copy, drop the old, rename), and the old table's triggers go with it.
inspections 0005 (Ofsted's own words on each judgement) rebuilds the judgements table that way,
so without this its changes would no longer restamp the authority on SQLite. Dropping and
creating every trigger again is safe on both databases. Since then the triggers are made from
the models after every `migrate` (dashboards.stamps, on post_migrate), so later migrations need
nothing of the kind.
"""

import importlib

from django.db import migrations

triggers = importlib.import_module("dashboards.migrations.0002_data_version_triggers")


def reinstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in triggers.RANDOM:
        create, drop = triggers._statements(apps, vendor)
        for statement in drop + create:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0002_data_version_triggers"),
        ("inspections", "0005_ofsted_words"),
        ("improvement_plans", "0001_initial"),
    ]

    # Backwards: nothing to undo (0002's own reverse drops the triggers).
    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
