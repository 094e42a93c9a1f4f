"""The database changes an authority's dashboard stamp (dashboards.DataVersion) whenever anything
the dashboards show about it changes, whatever code makes the change.

- Inspections, judgements, findings, improvement plans, actions and progress updates: after every
  insert, update or delete of a row, the stamp of the authority it belongs to (of both, when an
  update moves it) gets a new random value.
- Judgement areas and frameworks (the portfolio's columns), and people's names (leads and authors
  on the dashboards): every authority's stamp changes. These change rarely.
- A new authority gets its stamp when it is inserted; existing ones get theirs here.

PostgreSQL gets one plpgsql function per table; SQLite one trigger per table and event. The
statements themselves are the same on both: an upsert from the changed rows' authorities.
"""

from django.db import migrations

STAMPS = "dashboards_dataversion"
RANDOM = {"postgresql": "(random() * 9e18)::bigint", "sqlite": "random()"}

# How to reach the authority from a row of each table; {row} is NEW or OLD.
_VIA_INSPECTION = "(SELECT authority_id FROM {inspection} WHERE id = {row}.inspection_id)"
_VIA_AREA = (
    "(SELECT i.authority_id FROM {finding} f JOIN {inspection} i ON i.id = f.inspection_id"
    " WHERE f.id = {row}.area_for_improvement_id)"
)
PER_AUTHORITY = {
    ("inspections", "LocalAuthority"): "{row}.id",
    ("inspections", "Inspection"): "{row}.authority_id",
    ("inspections", "Judgement"): _VIA_INSPECTION,
    ("inspections", "Finding"): _VIA_INSPECTION,
    ("improvement_plans", "ImprovementPlan"): _VIA_INSPECTION,
    ("improvement_plans", "Action"): _VIA_AREA,
    ("improvement_plans", "ProgressUpdate"): _VIA_AREA,
}
EVERY_AUTHORITY = [("inspections", "Framework"), ("inspections", "JudgementArea")]
NAME_FIELDS = ("first_name", "last_name", "username")


def _table(apps, app_label: str, model: str) -> str:
    return apps.get_model(app_label, model)._meta.db_table


def _stamp(vendor: str, authority_of: str, rows: list[str]) -> str:
    """One statement: a new stamp for the authorities of `rows` (NEW and/or OLD)."""
    changed = " UNION ".join(
        f"SELECT {authority_of.format(row=row)} AS authority_id" for row in rows
    )
    return (
        f"INSERT INTO {STAMPS} (authority_id, version)"  # noqa: S608 - names from the models
        f" SELECT changed.authority_id, {RANDOM[vendor]} FROM ({changed}) AS changed"
        " WHERE changed.authority_id IS NOT NULL"
        " ON CONFLICT (authority_id) DO UPDATE SET version = excluded.version"
    )


def _restamp_all(vendor: str) -> str:
    return f"UPDATE {STAMPS} SET version = {RANDOM[vendor]}"  # noqa: S608 - constants


def _statements(apps, vendor: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements for `vendor`."""
    names = {"inspection": _table(apps, "inspections", "Inspection")}
    names["finding"] = _table(apps, "inspections", "Finding")
    user_table = apps.get_model("auth", "User")._meta.db_table
    create, drop = [], []
    for (app_label, model), via in PER_AUTHORITY.items():
        table = _table(apps, app_label, model)
        authority_of = via.format(row="{row}", **names)
        name = f"dashboards_stamp_{table}"
        on = {"INSERT": ["NEW"], "UPDATE": ["NEW", "OLD"], "DELETE": ["OLD"]}
        if vendor == "postgresql":
            create.append(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN"
                f" IF TG_OP = 'INSERT' THEN {_stamp(vendor, authority_of, on['INSERT'])};"
                f" ELSIF TG_OP = 'UPDATE' THEN {_stamp(vendor, authority_of, on['UPDATE'])};"
                f" ELSE {_stamp(vendor, authority_of, on['DELETE'])};"
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
                    f" BEGIN {_stamp(vendor, authority_of, rows)}; END"
                )
                drop.append(f"DROP TRIGGER IF EXISTS {trigger}")

    everyone = [(_table(apps, *key), "INSERT OR UPDATE OR DELETE", "") for key in EVERY_AUTHORITY]
    renamed = " OR ".join(
        f"OLD.{column} IS {'DISTINCT FROM' if vendor == 'postgresql' else 'NOT'} NEW.{column}"
        for column in NAME_FIELDS
    )
    everyone.append((user_table, f"UPDATE OF {', '.join(NAME_FIELDS)}", renamed))
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
    authorities = _table(apps, "inspections", "LocalAuthority")
    create.append(
        f"INSERT INTO {STAMPS} (authority_id, version)"  # noqa: S608 - names from the models
        f" SELECT id, {RANDOM[vendor]} FROM {authorities} WHERE true"
        " ON CONFLICT (authority_id) DO NOTHING"
    )
    return create, drop


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in RANDOM:
        for statement in _statements(apps, vendor)[0]:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in RANDOM:
        for statement in _statements(apps, vendor)[1]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_data_version"),
        ("inspections", "0002_frameworks"),
        ("improvement_plans", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
