# ruff: noqa: S603, S607 - runs the PostgreSQL client tools the README documents
"""Backup and restore (README, "Backup and restore"), and migrations that can be undone.

The backup round trip runs the documented commands: pg_dump of a database holding the demo data,
pg_restore into an empty database, then every table must have the same number of rows and the
same content checksum. It needs PostgreSQL (pg_dump does not apply to SQLite).
"""

import os
import shutil
import subprocess
import uuid

import psycopg2
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, migrations
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from tests.reference_data import load_reference_data

PROJECT_APPS = [
    "ilacs",
    "accounts",
    "inspections",
    "improvement_plans",
    "dashboards",
    "reports",
    "core",
]


def _pg_params() -> dict:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": str(db["PORT"] or 5432),
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or "",
    }


def _pg_env() -> dict:
    params = _pg_params()
    return {
        **os.environ,
        "PGHOST": params["host"],
        "PGPORT": params["port"],
        "PGUSER": params["user"],
        **({"PGPASSWORD": params["password"]} if params["password"] else {}),
    }


def _table_fingerprints(dbname: str) -> dict[str, tuple[int, str]]:
    """Per table: its row count and an md5 of all its rows (as text, in a fixed order)."""
    params = _pg_params()
    with psycopg2.connect(dbname=dbname, **params) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        fingerprints = {}
        for table in tables:
            cursor.execute(
                f"SELECT COUNT(*), md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608 - names from pg_tables
            )
            fingerprints[table] = cursor.fetchone()
    conn.close()
    return fingerprints


# No serialized_rollback: reloading the database as it was at the start would collide with the
# content types that an earlier transactional test's flush made afresh (other ids, the same
# names); neither test needs more than it loads itself.
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_identical_tables(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "pg_dump/pg_restore back up PostgreSQL, the production database; SQLite is a file"
        )
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump and pg_restore are needed (Debian package postgresql-client)")
    load_reference_data()  # an earlier transactional test in this process may have emptied it
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "ilacs.dump"
    env = _pg_env()

    # The procedure in the README, command for command.
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source],
        env=env,
        check=True,
        timeout=300,
    )
    subprocess.run(["createdb", restored], env=env, check=True, timeout=60)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
            env=env,
            check=True,
            timeout=300,
        )
        original = _table_fingerprints(source)
        copy = _table_fingerprints(restored)
    finally:
        subprocess.run(["dropdb", "--if-exists", restored], env=env, check=True, timeout=60)

    assert original["improvement_plans_progressupdate"][0] > 0  # the demo data is there
    assert original["inspections_localauthority"][0] == 153
    assert copy.keys() == original.keys()
    differing = {table for table in original if original[table] != copy[table]}
    assert not differing, f"tables that differ after restore: {sorted(differing)}"


def test_every_project_migration_can_be_undone_or_says_why_not():
    """An operation that cannot be reversed needs the migration to say so, in a class attribute
    `irreversible_reason`, so whoever rolls back a release knows before they try."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    problems = []
    for (app_label, name), migration in loader.disk_migrations.items():
        if app_label not in PROJECT_APPS or getattr(migration, "irreversible_reason", ""):
            continue
        for operation in migration.operations:
            if not operation.reversible or (
                isinstance(operation, migrations.RunPython) and operation.reverse_code is None
            ):
                problems.append(f"{app_label}.{name}: {operation.describe()}")
    assert not problems, "irreversible without an irreversible_reason: " + "; ".join(problems)


# No serialized_rollback: reloading the database as it was at the start would collide with the
# content types that an earlier transactional test's flush made afresh (other ids, the same
# names); neither test needs more than it loads itself.
@pytest.mark.django_db(transaction=True)
def test_the_database_migrates_to_zero_and_back():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(
        [
            (app_config.label, None)
            for app_config in apps.get_app_configs()
            if app_config.label in {leaf[0] for leaf in leaves}
        ]
    )
    with connection.cursor():
        remaining = set(connection.introspection.table_names()) - {"django_migrations"}
    assert not remaining, f"tables left after migrating to zero: {sorted(remaining)}"

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes())
    from inspections.models import Framework

    assert Framework.objects.filter(code="ILACS-2023").exists()  # reference data back too
