"""Today's dashboards rebuilt when a change commits (dashboards.tasks), so that the first viewer
after a change does not wait for the build; the stamps still decide what every page shows."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import LocalAuthority
from dashboards import snapshots, tasks
from improvement_plans.models import Rag, UpdateStatus
from tests.dashboards.test_snapshots import BUILT_QUERIES, CACHED_QUERIES, PORTFOLIO, picture
from tests.factories import ActionFactory, ProgressUpdateFactory, UserFactory

__all__ = ["picture"]  # the fixture, shared with test_snapshots


@pytest.fixture(autouse=True)
def _set_up_is_not_a_change(picture):
    """What the fixtures saved is the test's starting point: its commit callbacks (which a test's
    transaction never runs) are forgotten, so only what each test changes is refreshed."""
    tasks._batches.clear()


def _cached_for_current_stamp(authority) -> bool:
    the_authority = snapshots.with_stamps(LocalAuthority.objects.filter(pk=authority.pk)).get()
    stamps = [(the_authority.pk, the_authority.data_version)]
    return snapshots.cached("authority", stamps, timezone.localdate()) is not None


def _national_page_cached() -> bool:
    stamps = list(
        snapshots.with_stamps(LocalAuthority.objects.all())
        .order_by()
        .values_list("pk", "data_version")
    )
    return snapshots.cached("portfolio-page", stamps, timezone.localdate()) is not None


def _recording(monkeypatch) -> list:
    """The refreshes enqueued, recorded instead of run."""
    enqueued = []

    class Recorder:
        def enqueue(self, *args):
            enqueued.append(args)

    monkeypatch.setattr(tasks, "refresh", Recorder())
    return enqueued


def _change(picture):
    ProgressUpdateFactory(
        area_for_improvement=picture["mine"]["finding"],
        month=picture["mine"]["update"].month.replace(
            year=picture["mine"]["update"].month.year - 1
        ),
        rag=Rag.RED,
        status=UpdateStatus.SUBMITTED,
    )


def test_a_committed_change_builds_its_authoritys_dashboard_and_the_national_portfolio(
    client, authority, other_authority, picture, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _change(picture)
    assert callbacks, "the change asked for a refresh when it committed"
    assert _cached_for_current_stamp(authority)
    assert not _cached_for_current_stamp(other_authority)  # nothing changed there
    assert _national_page_cached()


def test_the_first_view_after_a_change_reads_the_refreshed_dashboard(
    client,
    authority,
    picture,
    manager,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    client.force_login(manager)
    url = reverse("dashboards:authority", kwargs={"authority_pk": authority.pk})
    with django_capture_on_commit_callbacks(execute=True):
        _change(picture)
    with django_assert_num_queries(CACHED_QUERIES):
        page = client.get(url).content.decode()
    assert "app-rag--red" in page  # the change, not the picture before it


def test_a_change_without_a_refresh_is_still_built_by_its_first_viewer(
    client, authority, picture, manager, django_assert_num_queries
):
    client.force_login(manager)
    url = reverse("dashboards:authority", kwargs={"authority_pk": authority.pk})
    client.get(url)
    _change(picture)  # its commit callbacks never run here: no refresh
    with django_assert_num_queries(BUILT_QUERIES):
        page = client.get(url).content.decode()
    assert "app-rag--red" in page


def test_a_rolled_back_change_refreshes_nothing(
    authority, picture, django_capture_on_commit_callbacks, monkeypatch
):
    enqueued = _recording(monkeypatch)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _change(picture)
        raise RuntimeError("the form failed after the save")
    assert callbacks == [] and enqueued == []


def test_one_refresh_per_transaction_for_all_its_authorities(
    authority, other_authority, picture, django_capture_on_commit_callbacks, monkeypatch
):
    enqueued = _recording(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _change(picture)
        ActionFactory(area_for_improvement=picture["theirs"]["finding"])
        picture["mine"]["inspection"].save()
    assert enqueued == [
        (sorted([authority.pk, other_authority.pk]), timezone.localdate().isoformat())
    ]


def test_a_failing_refresh_never_fails_the_change(
    client, authority, picture, manager, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(snapshots, "authority", broken)
    with django_capture_on_commit_callbacks(execute=True):
        _change(picture)  # no exception reaches the caller
    monkeypatch.undo()
    client.force_login(manager)
    url = reverse("dashboards:authority", kwargs={"authority_pk": authority.pk})
    assert "app-rag--red" in client.get(url).content.decode()


def test_a_refresh_run_on_a_later_day_builds_nothing(authority, picture):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert tasks.refresh.call([authority.pk], yesterday) == 0
    assert not _cached_for_current_stamp(authority)


def test_an_administrator_sees_the_refreshed_national_portfolio(
    client, picture, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        _change(picture)
    with django_assert_num_queries(CACHED_QUERIES):
        response = client.get(PORTFOLIO)
    assert response.status_code == 200
