"""No lost updates under real concurrency: two threads, each with its own database connection
and transaction, edit the same monthly update at the same moment. On PostgreSQL the second
waits on the first's row lock (SELECT ... FOR UPDATE) and is then refused with EditConflict; the
first one's words survive. Likewise two people starting the same month's update: one wins, the
other gets a clear error. (SQLite serialises writers with a database lock, so these run on
PostgreSQL only; the single-connection conflict tests run on both.)"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from core.concurrency import EditConflict
from improvement_plans import services
from improvement_plans.models import ProgressUpdate
from improvement_plans.selectors import this_month
from tests.factories import FindingFactory, InspectionFactory, ProgressUpdateFactory
from tests.reference_data import load_reference_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_with_reference_data():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")
    load_reference_data()


def _in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as error:  # the test inspects what each thread raised
            results[key] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _waiting_on_a_lock(timeout: float = 5.0) -> bool:
    """Whether some other backend of this database is blocked on a lock (polled)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def test_two_concurrent_edits_of_one_update_never_both_succeed(authority, officer, manager):
    update = ProgressUpdateFactory(
        area_for_improvement=FindingFactory(inspection=InspectionFactory(authority=authority)),
        author=officer,
        month=this_month(),
        what_was_done="Original",
    )
    first_saved = threading.Event()
    may_commit = threading.Event()
    results: dict = {}
    timeline: dict = {}

    def officer_saves():
        with transaction.atomic():
            mine = ProgressUpdate.objects.get(pk=update.pk)
            saved = services.progress_update_save(
                update=mine, expected_version=1, user=officer, what_was_done="Officer's words"
            )
            first_saved.set()
            may_commit.wait(timeout=10)
            timeline["officer_commits"] = time.monotonic()
        return saved

    def manager_saves():
        first_saved.wait(timeout=10)
        theirs = ProgressUpdate.objects.get(pk=update.pk)  # read before the officer commits
        assert theirs.version == 1
        try:
            return services.progress_update_save(
                update=theirs, expected_version=1, user=manager, what_was_done="Manager's words"
            )
        finally:
            timeline["manager_returns"] = time.monotonic()

    officer_thread = _in_thread(officer_saves, results, "officer")
    manager_thread = _in_thread(manager_saves, results, "manager")
    assert first_saved.wait(timeout=10)
    # The manager's save is blocked on the officer's row lock, not racing past it.
    blocked = _waiting_on_a_lock()
    may_commit.set()
    officer_thread.join(timeout=20)
    manager_thread.join(timeout=20)

    assert blocked, "the second transaction never waited for the first one's row lock"
    assert isinstance(results["officer"], ProgressUpdate)
    assert isinstance(results["manager"], EditConflict), results["manager"]
    assert results["manager"].changed_by == officer
    assert timeline["manager_returns"] >= timeline["officer_commits"]
    update.refresh_from_db()
    assert (update.what_was_done, update.version) == ("Officer's words", 2)
    assert update.history.count() == 2  # created, the officer's save; nothing of the manager's


def test_two_people_starting_the_same_months_update_at_once_get_one_update(
    authority, officer, manager
):
    area = FindingFactory(inspection=InspectionFactory(authority=authority))
    first_inserted = threading.Event()
    may_commit = threading.Event()
    results: dict = {}

    def create(user, hold: bool):
        def run():
            with transaction.atomic():
                created = services.progress_update_create(
                    area_for_improvement=area,
                    month=this_month(),
                    user=user,
                    rag="amber",
                    what_was_done=f"{user.username}'s update",
                )
                if hold:
                    first_inserted.set()
                    may_commit.wait(timeout=10)
            return created

        return run

    first = _in_thread(create(officer, hold=True), results, "officer")
    assert first_inserted.wait(timeout=10)
    second = _in_thread(create(manager, hold=False), results, "manager")
    blocked = _waiting_on_a_lock()
    may_commit.set()
    first.join(timeout=20)
    second.join(timeout=20)

    assert blocked, "the second insert never waited on the first one's unique index entry"
    assert isinstance(results["officer"], ProgressUpdate)
    assert isinstance(results["manager"], ValidationError)
    assert "already an update for this area for that month" in str(results["manager"])
    assert list(ProgressUpdate.objects.values_list("what_was_done", flat=True)) == [
        "officer's update"
    ]
