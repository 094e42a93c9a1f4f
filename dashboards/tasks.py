"""Today's dashboards rebuilt as soon as something changes, before anyone asks for them.

Every saved change to an authority's inspections, judgements, areas for improvement, plans,
actions or updates gives it a new stamp (the database's triggers) and so leaves its dashboards
out of date. Rather than the next viewer waiting for the build, the change itself asks for it:
when the transaction that made the change commits, `refresh` is enqueued (Django's tasks; see
TASKS in settings) for the authorities it touched, and builds today's authority dashboard, the
authority's portfolio line and the unfiltered national portfolio page into the cache.

Only a head start: the stamps stay the only thing that decides what a page shows. If the task
does not run, runs late or fails, the next viewer builds what is missing exactly as before, and a
change made while a refresh runs gives a new stamp that the refresh's entries do not match.

Which changes ask for a refresh: saves and deletes, through the ORM, of the models the stamp
triggers watch (dashboards.stamps.STAMPED), each reaching its authority by its AUTHORITY_PATH.
Changes the triggers catch but these signals do not (bulk updates,
raw SQL, a person's name) are still caught by the stamps and built by the next viewer.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections import defaultdict

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.tasks import task
from django.utils import timezone

from accounts.models import LocalAuthority, authority_path
from core import bulk
from dashboards import portfolio_page, snapshots
from dashboards.stamps import STAMPED

logger = logging.getLogger(__name__)


@task()
def refresh(authority_ids: list[int], day: str) -> int:
    """Builds into the cache, for `day` (ISO date, today when enqueued), each authority's
    dashboard and portfolio line, then the national portfolio's unfiltered page. Returns how many
    authority dashboards it built (those already cached for their current stamp are left)."""
    today = datetime.date.fromisoformat(day)
    if today != timezone.localdate():
        return 0  # a day late: the next viewer builds today's
    built = 0
    changed = list(snapshots.with_stamps(LocalAuthority.objects.filter(pk__in=authority_ids)))
    for the_authority in changed:
        stamps = [(the_authority.pk, the_authority.data_version)]
        if snapshots.cached("authority", stamps, today) is None:
            snapshots.authority(the_authority, today=today, rebuild=True)
            built += 1
    everyone = list(
        snapshots.with_stamps(LocalAuthority.objects.all())
        .order_by()
        .values_list("pk", "data_version")
    )
    # The changed lines are built here (one build for all of them); the page from every line.
    portfolio_page.body(everyone, today=today)
    return built


class _Batch:
    """The rows one transaction changed, by (model a first step points to, the rest of the path).
    Each change registers the batch's callback with the transaction; the first to run after the
    commit refreshes the whole batch, the others find it done."""

    def __init__(self):
        self.keys: dict[tuple, set[int]] = defaultdict(set)
        self.done = False

    def run(self) -> None:
        if self.done:
            return
        self.done = True
        try:
            authority_ids: set[int] = set()
            for (model, rest), keys in self.keys.items():
                if not rest:
                    authority_ids |= keys
                    continue
                found = model.objects.filter(pk__in=keys).values_list(f"{rest}_id", flat=True)
                authority_ids |= set(found)
            if authority_ids:
                refresh.enqueue(sorted(authority_ids), timezone.localdate().isoformat())
        except Exception:  # a head start only: never fail a request whose change is saved
            logger.exception("Refreshing the dashboards after a change failed")


_batches: dict[int, _Batch] = {}  # per database connection (connections are per thread)
_local = threading.local()


def _bulk_batch() -> _Batch:
    """Inside core.bulk.deferred() (an import of many reports): one batch for the whole import,
    refreshed once when it ends rather than after each file's transaction."""
    batch = getattr(_local, "bulk", None)
    if batch is None:
        batch = _local.bulk = _Batch()

        def finish() -> None:
            # When the bulk work ends, or when the transaction around it (if any) commits; the
            # next bulk work starts a batch of its own even if that transaction rolls back.
            _local.bulk = None
            transaction.on_commit(batch.run)

        bulk.defer("dashboards.refresh", finish)
    return batch


def _changed(sender, instance, using=None, **kwargs) -> None:
    # The first step of the way to the authority (a foreign key), then the rest of the way from
    # the row it points to, read when the transaction has committed.
    first, _, rest = authority_path(sender).partition("__")
    step = sender._meta.get_field(first)
    key_value = getattr(instance, step.attname)
    if key_value is None:
        return
    if bulk.active():
        _bulk_batch().keys[(step.related_model, rest)].add(key_value)
        return
    connection = transaction.get_connection(using)
    batch = _batches.get(id(connection))
    # The transaction's batch while its callbacks wait for the commit; a new one once it has run
    # or its callbacks were dropped with a rollback (outside a transaction they run at once).
    waiting = batch is not None and not batch.done
    if not (waiting and any(entry[1] == batch.run for entry in connection.run_on_commit)):
        batch = _batches[id(connection)] = _Batch()
    batch.keys[(step.related_model, rest)].add(key_value)
    transaction.on_commit(batch.run, using=using)


def connect() -> None:
    for model in STAMPED:
        if not authority_path(model):
            continue  # an authority itself: its own changes are its name and codes
        post_save.connect(_changed, sender=model, dispatch_uid=f"dashboards-refresh-{model}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"dashboards-refresh-del-{model}")
