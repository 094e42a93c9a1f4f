"""The stamps' triggers, made from the models: whatever changes what the dashboards show about an
authority gives it a new stamp (dashboards.DataVersion), whatever code makes the change.

- The models the dashboards show about one authority (`STAMPED`): after every insert, update or
  delete of a row, the stamp of the authority it belongs to (of both, when an update moves it)
  gets a new random value. The way from a row to its authority is the model's own declaration,
  `AUTHORITY_PATH` (accounts.models.authority_path), the same one its `for_user` scope and the
  permission checks follow: a new model the dashboards show is added to `STAMPED`, and needs no
  SQL.
- What every authority's dashboards show (`EVERY_AUTHORITY`: frameworks and judgement areas, the
  portfolio's columns; people's names, as leads and authors): every stamp changes. Rare.
- A new authority gets its stamp when it is inserted.

Triggers rather than application code, so that no path can change the data and leave the stamp
behind: the admin, bulk updates, `QuerySet.update()` and raw SQL included. They are installed
after every `migrate` (`install`, on post_migrate: dropped and made again, so a migration that
rebuilds a table on SQLite, which loses its triggers, is followed by their return). PostgreSQL
gets one plpgsql function per table; SQLite one trigger per table and event. The statements are
the same on both: an upsert from the changed rows' authorities.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Model

from accounts.models import LocalAuthority, StatisticalNeighbour, authority_path
from core import triggers
from dashboards.models import DataVersion, PublishedVersion
from improvement_plans.models import Action, ImprovementPlan, ProgressUpdate
from inspections.models import Finding, Framework, Inspection, Judgement, JudgementArea
from readiness.models import Evidence, LibraryDocument, ReadinessItem

STAMPED: tuple[type[Model], ...] = (
    LocalAuthority,
    Inspection,
    Judgement,
    Finding,
    ImprovementPlan,
    Action,
    ProgressUpdate,
    StatisticalNeighbour,  # the comparison pages (dashboards.benchmark_page)
    # The readiness panel: the library's missing and stale documents (a document's current file
    # is its latest Evidence) and the open checklist items.
    LibraryDocument,
    Evidence,
    ReadinessItem,
)
EVERY_AUTHORITY: tuple[type[Model], ...] = (Framework, JudgementArea)
# What Ofsted published, nationally: any change gives the one published stamp
# (dashboards.PublishedVersion) a new value, for the comparison pages.
PUBLISHED: tuple[type[Model], ...] = (
    LocalAuthority,
    StatisticalNeighbour,
    Inspection,
    Judgement,
    Finding,
    Framework,
    JudgementArea,
)
NAME_FIELDS = ("first_name", "last_name", "username")
RANDOM = {"postgresql": "(random() * 9e18)::bigint", "sqlite": "random()"}
VENDORS = frozenset(RANDOM)


def authority_sql(model: type[Model], row: str) -> str:
    """SQL for the id of the authority that `row` (NEW or OLD) of `model` belongs to, following
    the model's AUTHORITY_PATH one foreign key at a time."""
    path = authority_path(model)
    if not path:
        return f"{row}.{model._meta.pk.column}"
    steps = path.split("__")
    field = model._meta.get_field(steps[0])
    sql = f"{row}.{field.column}"
    for step in steps[1:]:
        target = field.related_model
        field = target._meta.get_field(step)
        sql = (
            f"(SELECT {field.column} FROM {target._meta.db_table}"  # noqa: S608 - from models
            f" WHERE {target._meta.pk.column} = {sql})"
        )
    return sql


def _stamp(vendor: str, model: type[Model], rows: list[str]) -> str:
    """One statement: a new stamp for the authorities of `rows` (NEW and/or OLD)."""
    changed = " UNION ".join(f"SELECT {authority_sql(model, row)} AS authority_id" for row in rows)
    return (
        f"INSERT INTO {DataVersion._meta.db_table} (authority_id, version)"  # noqa: S608
        f" SELECT changed.authority_id, {RANDOM[vendor]} FROM ({changed}) AS changed"
        " WHERE changed.authority_id IS NOT NULL"
        " ON CONFLICT (authority_id) DO UPDATE SET version = excluded.version"
    )


def _restamp_published(vendor: str) -> str:
    return (
        f"INSERT INTO {PublishedVersion._meta.db_table} (id, version)"  # noqa: S608
        f" VALUES (1, {RANDOM[vendor]})"
        " ON CONFLICT (id) DO UPDATE SET version = excluded.version"
    )


def _restamp_all(vendor: str) -> str:
    return f"UPDATE {DataVersion._meta.db_table} SET version = {RANDOM[vendor]}"  # noqa: S608


def statements(vendor: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements for `vendor`: every trigger, then the missing stamps."""
    create, drop = [], []
    on = {"INSERT": ["NEW"], "UPDATE": ["NEW", "OLD"], "DELETE": ["OLD"]}
    for model in STAMPED:
        table = model._meta.db_table
        name = f"dashboards_stamp_{table}"
        if vendor == "postgresql":
            create.append(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN"
                f" IF TG_OP = 'INSERT' THEN {_stamp(vendor, model, on['INSERT'])};"
                f" ELSIF TG_OP = 'UPDATE' THEN {_stamp(vendor, model, on['UPDATE'])};"
                f" ELSE {_stamp(vendor, model, on['DELETE'])};"
                " END IF; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            create.append(
                f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
            drop += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"DROP FUNCTION IF EXISTS {name}()",
            ]
        else:
            for event, rows in on.items():
                trigger = f"{name}_{event.lower()}"
                create.append(
                    f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW"
                    f" BEGIN {_stamp(vendor, model, rows)}; END"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {trigger}")

    everyone = [(m._meta.db_table, "INSERT OR UPDATE OR DELETE", "") for m in EVERY_AUTHORITY]
    renamed = " OR ".join(
        f"OLD.{column} IS {'DISTINCT FROM' if vendor == 'postgresql' else 'NOT'} NEW.{column}"
        for column in NAME_FIELDS
    )
    everyone.append(
        (get_user_model()._meta.db_table, f"UPDATE OF {', '.join(NAME_FIELDS)}", renamed)
    )
    for table, events, when in everyone:
        name = f"dashboards_restamp_{table}"
        if vendor == "postgresql":
            create.append(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN"
                f" {_restamp_all(vendor)}; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            create.append(
                f"CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH ROW"
                + (f" WHEN ({when})" if when else "")
                + f" EXECUTE FUNCTION {name}()"
            )
            drop += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"DROP FUNCTION IF EXISTS {name}()",
            ]
        else:
            for event in events.split(" OR "):
                trigger = f"{name}_{event.split()[0].lower()}"
                create.append(
                    f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW"
                    + (f" WHEN {when}" if when else "")
                    + f" BEGIN {_restamp_all(vendor)}; END"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {trigger}")
    for model in PUBLISHED:
        table = model._meta.db_table
        name = f"dashboards_published_{table}"
        if vendor == "postgresql":
            # Once per statement: a bulk import restamps once, not once a row.
            create.append(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN"
                f" {_restamp_published(vendor)}; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            create.append(
                f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
            drop += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"DROP FUNCTION IF EXISTS {name}()",
            ]
        else:
            for event in ("INSERT", "UPDATE", "DELETE"):
                trigger = f"{name}_{event.lower()}"
                create.append(
                    f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW"
                    f" BEGIN {_restamp_published(vendor)}; END"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {trigger}")
    create.append(
        f"INSERT INTO {DataVersion._meta.db_table} (authority_id, version)"  # noqa: S608
        f" SELECT id, {RANDOM[vendor]} FROM {LocalAuthority._meta.db_table} WHERE true"
        " ON CONFLICT (authority_id) DO NOTHING"
    )
    return create, drop


def install(using: str = "default") -> bool:
    """Drops and makes again every stamp trigger on database `using`, and gives every authority
    without a stamp its first (core.triggers.install). Nothing (False) on a database without
    triggers here, or whose tables are not all there."""
    vendor = connections[using].vendor
    if vendor not in VENDORS:
        return False
    models = (
        *STAMPED,
        *EVERY_AUTHORITY,
        *PUBLISHED,
        DataVersion,
        PublishedVersion,
        get_user_model(),
    )
    create, drop = statements(vendor)
    return triggers.install(
        using, tables=[model._meta.db_table for model in models], create=create, drop=drop
    )


def after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: the triggers as the models declare them, after every migration."""
    install(using)
