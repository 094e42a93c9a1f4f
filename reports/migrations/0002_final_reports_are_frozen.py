"""The database refuses any change to a final report or to its sections, whatever code tries.

Updates and inserts only: deleting stays possible at the database level (test databases are
emptied between tests, and an administrator may remove a report entered by mistake), and the
service never deletes a final report.

Since then reports.freezing makes these triggers from the app's code after every `migrate`;
this migration stays as it was for the databases it has already run on.
"""

from django.db import migrations

POSTGRESQL = """
CREATE FUNCTION reports_refuse_final_report_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'A final committee report cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER reports_final_report_frozen BEFORE UPDATE ON reports_committeereport
FOR EACH ROW WHEN (OLD.status = 'final') EXECUTE FUNCTION reports_refuse_final_report_change();

CREATE FUNCTION reports_refuse_final_section_change() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM reports_committeereport WHERE id = NEW.report_id AND status = 'final')
       OR (TG_OP = 'UPDATE' AND EXISTS (
           SELECT 1 FROM reports_committeereport WHERE id = OLD.report_id AND status = 'final')) THEN
        RAISE EXCEPTION 'A final committee report cannot be changed' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER reports_final_section_frozen BEFORE INSERT OR UPDATE ON reports_reportsection
FOR EACH ROW EXECUTE FUNCTION reports_refuse_final_section_change();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS reports_final_section_frozen ON reports_reportsection;
DROP FUNCTION IF EXISTS reports_refuse_final_section_change();
DROP TRIGGER IF EXISTS reports_final_report_frozen ON reports_committeereport;
DROP FUNCTION IF EXISTS reports_refuse_final_report_change();
"""

SQLITE = [
    """CREATE TRIGGER reports_final_report_frozen BEFORE UPDATE ON reports_committeereport
    FOR EACH ROW WHEN OLD.status = 'final'
    BEGIN SELECT RAISE(ABORT, 'A final committee report cannot be changed'); END""",
    """CREATE TRIGGER reports_final_section_frozen_update BEFORE UPDATE ON reports_reportsection
    FOR EACH ROW WHEN (SELECT status FROM reports_committeereport WHERE id = OLD.report_id) = 'final'
        OR (SELECT status FROM reports_committeereport WHERE id = NEW.report_id) = 'final'
    BEGIN SELECT RAISE(ABORT, 'A final committee report cannot be changed'); END""",
    """CREATE TRIGGER reports_final_section_frozen_insert BEFORE INSERT ON reports_reportsection
    FOR EACH ROW WHEN (SELECT status FROM reports_committeereport WHERE id = NEW.report_id) = 'final'
    BEGIN SELECT RAISE(ABORT, 'A final committee report cannot be changed'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS reports_final_report_frozen",
    "DROP TRIGGER IF EXISTS reports_final_section_frozen_update",
    "DROP TRIGGER IF EXISTS reports_final_section_frozen_insert",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
