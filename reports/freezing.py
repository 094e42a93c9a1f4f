"""The database refuses any change to a final committee report or to its sections, whatever code
tries (the admin, bulk updates and raw SQL included): a finalised report never changes.

Updates and inserts only: deleting stays possible at the database level (test databases are
emptied between tests, and an administrator may remove a report entered by mistake); the
service never deletes a final report. The triggers are made again after every `migrate`
(core.triggers), so a migration that rebuilds one of the two tables cannot lose them.
"""

from __future__ import annotations

from django.db import connections

from core import triggers
from reports.models import CommitteeReport, ReportSection, ReportStatus

REFUSAL = "A final committee report cannot be changed"


def statements(vendor: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements for `vendor` (no triggers on other databases)."""
    reports = CommitteeReport._meta.db_table
    sections = ReportSection._meta.db_table
    final = f"'{ReportStatus.FINAL.value}'"
    if vendor == "postgresql":
        create = [
            "CREATE FUNCTION reports_refuse_final_report_change() RETURNS trigger AS $$ BEGIN"
            f" RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';"
            " END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER reports_final_report_frozen BEFORE UPDATE ON {reports}"
            f" FOR EACH ROW WHEN (OLD.status = {final})"
            " EXECUTE FUNCTION reports_refuse_final_report_change()",
            "CREATE FUNCTION reports_refuse_final_section_change() RETURNS trigger AS $$ BEGIN"  # noqa: S608 - names from the models
            f" IF EXISTS (SELECT 1 FROM {reports} WHERE id = NEW.report_id AND status = {final})"
            " OR (TG_OP = 'UPDATE' AND EXISTS ("
            f" SELECT 1 FROM {reports} WHERE id = OLD.report_id AND status = {final})) THEN"
            f" RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';"
            " END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER reports_final_section_frozen BEFORE INSERT OR UPDATE ON {sections}"
            " FOR EACH ROW EXECUTE FUNCTION reports_refuse_final_section_change()",
        ]
        drop = [
            f"DROP TRIGGER IF EXISTS reports_final_section_frozen ON {sections}",
            "DROP FUNCTION IF EXISTS reports_refuse_final_section_change()",
            f"DROP TRIGGER IF EXISTS reports_final_report_frozen ON {reports}",
            "DROP FUNCTION IF EXISTS reports_refuse_final_report_change()",
        ]
        return create, drop
    if vendor == "sqlite":
        refuse = f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        status_of = f"(SELECT status FROM {reports} WHERE id = {{row}}.report_id)"  # noqa: S608
        create = [
            f"CREATE TRIGGER reports_final_report_frozen BEFORE UPDATE ON {reports}"
            f" FOR EACH ROW WHEN OLD.status = {final} {refuse}",
            f"CREATE TRIGGER reports_final_section_frozen_update BEFORE UPDATE ON {sections}"
            f" FOR EACH ROW WHEN {status_of.format(row='OLD')} = {final}"
            f" OR {status_of.format(row='NEW')} = {final} {refuse}",
            f"CREATE TRIGGER reports_final_section_frozen_insert BEFORE INSERT ON {sections}"
            f" FOR EACH ROW WHEN {status_of.format(row='NEW')} = {final} {refuse}",
        ]
        drop = [
            "DROP TRIGGER IF EXISTS reports_final_report_frozen",
            "DROP TRIGGER IF EXISTS reports_final_section_frozen_update",
            "DROP TRIGGER IF EXISTS reports_final_section_frozen_insert",
        ]
        return create, drop
    return [], []


def install(using: str = "default") -> bool:
    create, drop = statements(connections[using].vendor)
    if not create:
        return False
    tables = [CommitteeReport._meta.db_table, ReportSection._meta.db_table]
    return triggers.install(using, tables=tables, create=create, drop=drop)


def after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: the freezing triggers as this module makes them, after every migration."""
    install(using)
