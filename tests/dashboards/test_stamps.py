"""The stamp triggers are made from the models' own AUTHORITY_PATH (dashboards.stamps) and come
back after every migrate, whatever a migration did to the tables."""

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import authority_path
from dashboards import stamps
from dashboards.models import DataVersion
from improvement_plans.models import ProgressUpdate, Rag
from inspections.models import Judgement
from tests.factories import FindingFactory, JudgementFactory, ProgressUpdateFactory
from tests.reference_data import load_reference_data


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'dashboards_%'")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dashboards_%'"
            )
        return {row[0] for row in cursor.fetchall()}


def _stamp(authority) -> int | None:
    return (
        DataVersion.objects.filter(authority_id=authority.pk)
        .values_list("version", flat=True)
        .first()
    )


def test_each_stamped_model_declares_its_way_to_its_authority(db):
    for model in stamps.STAMPED:
        path = authority_path(model)
        if path:
            # The path is real: the ORM can filter by it.
            model.objects.filter(**{f"{path}__isnull": False}).exists()


def test_the_triggers_follow_a_models_path_one_key_at_a_time():
    sql = stamps.authority_sql(ProgressUpdate, "NEW")
    assert sql.startswith("(SELECT authority_id FROM inspections_inspection WHERE id = ")
    assert (
        "(SELECT inspection_id FROM inspections_finding WHERE id = NEW.area_for_improvement_id)"
        in sql
    )


@pytest.mark.django_db(transaction=True)
def test_migrate_puts_back_triggers_that_were_lost(authority):
    load_reference_data()  # an earlier transactional test may have emptied the frameworks
    before = _triggers()
    assert before, "the triggers are installed"
    # What SQLite does to a table a migration rebuilds: its triggers are gone.
    with connection.cursor() as cursor:
        for name in before:
            if connection.vendor == "postgresql":
                table = (
                    name.removeprefix("dashboards_stamp_")
                    .removeprefix("dashboards_restamp_")
                    .removeprefix("dashboards_published_")
                )
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    assert not _triggers()
    call_command("migrate", verbosity=0)
    assert _triggers() == before
    judgement = JudgementFactory(inspection__authority=authority)
    stamp = _stamp(authority)
    Judgement.objects.filter(pk=judgement.pk).update(grade="inadequate")
    assert _stamp(authority) != stamp


def test_a_change_through_the_longest_path_restamps(authority):
    update = ProgressUpdateFactory(
        area_for_improvement=FindingFactory(inspection__authority=authority)
    )
    stamp = _stamp(authority)
    ProgressUpdate.objects.filter(pk=update.pk).update(rag=Rag.RED)
    assert _stamp(authority) != stamp
