"""The freezing triggers (reports.freezing) are the app's code, made again after every migrate:
a migration that loses them (SQLite drops a table's triggers when it rebuilds the table) cannot
leave a final report changeable."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from reports import freezing, services
from reports.models import CommitteeReport
from tests.reference_data import load_reference_data
from tests.reports.factories import inspection_with_progress, report_for


def _drop_freezing_triggers():
    _, drop = freezing.statements(connection.vendor)
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)


@pytest.mark.django_db(transaction=True)
def test_migrate_puts_the_freezing_back(authority, manager):
    load_reference_data()  # an earlier transactional test may have emptied the frameworks
    inspection = inspection_with_progress(authority, areas=1, months=1)
    report = report_for(inspection, manager)
    final = services.report_finalise(report=report, expected_version=report.version, user=manager)
    _drop_freezing_triggers()
    CommitteeReport.objects.filter(pk=final.pk).update(title="Changed while unguarded")
    call_command("migrate", verbosity=0)
    with pytest.raises(DatabaseError), transaction.atomic():
        CommitteeReport.objects.filter(pk=final.pk).update(title="Changed again")
    final.refresh_from_db()
    assert final.title == "Changed while unguarded"  # the proof the guard was really gone


def test_the_statements_are_made_for_both_databases():
    for vendor in ("postgresql", "sqlite"):
        create, drop = freezing.statements(vendor)
        assert len(create) >= 3 and drop
        assert all("'final'" in statement for statement in create if "WHEN" in statement)
    assert freezing.statements("mysql") == ([], [])
