"""Dashboards kept in the cache until the data behind them changes.

A dashboard is built from an authority's whole current picture (tens of queries' worth of work
folded into six, and a few hundred rows to shape), but it changes only when someone records
something. So the built data is cached under a key made of:

- each authority's stamp (dashboards.DataVersion), which database triggers set to a new random
  value whenever anything the dashboards show about that authority changes, whatever code makes
  the change (the admin, bulk updates and raw SQL included);
- today's date (overdue updates and actions, and deadlines, depend on it);
- a digest of the code that builds the data (a deploy never reads what older code cached).

Nothing is ever invalidated by hand, so nothing can be forgotten: a change gives the authority a
new stamp, the next view misses the cache and builds afresh. Reading the stamps costs no extra
query: they are annotated onto the query that already checks what the user may see. What is
cached is data, not pages: permissions are checked, and pages rendered, on every request.

Each process also keeps its own copy of what it last read or wrote (`Memo`, 64 MB at most): a
key never changes what it means, so the copy is never out of date, and a view of an unchanged
dashboard costs no round trip to the shared cache.

`manage.py warm_dashboards` builds every authority's dashboard, and the national portfolio, ahead
of the first viewer (after a deploy, and each night after midnight when the date changes).
"""

from __future__ import annotations

import datetime
import hashlib
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string

from accounts.models import LocalAuthority
from dashboards import selectors
from dashboards.models import DataVersion
from improvement_plans.charts import rag_trend_svg
from inspections import deadlines
from inspections.charts import HistoryPoint, judgement_history_svg
from inspections.models import EventType

# Entries carry today's date in their key, so yesterday's are never read again; they expire.
TIMEOUT = 36 * 60 * 60
# The databases whose triggers keep the stamps (dashboards/migrations/0002_data_version_triggers).
STAMPED_VENDORS = {"postgresql", "sqlite"}


def _code_digest() -> str:
    """A digest of the project's own code and templates: a release that changes how a dashboard
    is built or rendered never reads what the code before it cached."""
    base = Path(settings.BASE_DIR).resolve()
    files = [base / "templates"]
    files += [  # the project's own apps: folders at its top level (not installed packages)
        Path(app.path).resolve()
        for app in apps.get_app_configs()
        if Path(app.path).resolve().parent == base
    ]
    digest = hashlib.sha256()
    for folder in files:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".py", ".html"}:
                digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE = _code_digest()


def with_stamps[Q: QuerySet](authorities: Q) -> Q:
    """The authorities, each annotated with `data_version`: its stamp (None before it has one)."""
    return authorities.annotate(
        data_version=Subquery(
            DataVersion.objects.filter(authority_id=OuterRef("pk")).values("version")[:1]
        )
    )


def key(kind: str, stamps: list[tuple[int, int | None]], today: datetime.date, variant=()) -> str:
    """The cache key for dashboard `kind` (and `variant` of it, such as a page's filters) of these
    authorities (pk, stamp) on `today`."""
    parts = (CODE, kind, sorted(stamps), today.isoformat(), variant)
    return f"dashboards:{kind}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def pack(value) -> bytes | str:
    """What the shared cache and each process's copy hold for `value`: its pickle, made once
    for both (rendered HTML stays a string)."""
    return value if isinstance(value, str) else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def unpack(item: bytes | str):
    """A value of its own from what `pack` made: each read unpickles afresh, so nothing a view
    does to what it read can reach another request."""
    return item if isinstance(item, str) else pickle.loads(item)  # noqa: S301 - our own bytes


class Memo:
    """What this process last read from the shared cache or wrote to it (packed), by key, up to
    `limit` bytes (the least recently used go first); or, with another `size`, any items up to
    `limit` of its units.

    A key never changes what it means (it holds the stamps, the day and the code), so a copy
    kept in memory can never be out of date: a view of an unchanged dashboard costs no round
    trip to the shared cache (a database table, in the default deployment). Only in front of a
    shared cache: the in-memory cache of development and tests is already one."""

    def __init__(self, limit: int, size: Callable[[object], int] = len):
        self.limit = limit
        self.size = size  # of an item, in the limit's units (bytes, by default)
        self._items: OrderedDict[str, object] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @staticmethod
    def in_use() -> bool:
        return not settings.CACHES["default"]["BACKEND"].endswith(".LocMemCache")

    def get(self, k: str):
        with self._lock:
            item = self._items.get(k)
            if item is not None:
                self._items.move_to_end(k)
            return item

    def put(self, k: str, item) -> None:
        size = self.size(item)
        if size > self.limit:
            return
        with self._lock:
            if (old := self._items.pop(k, None)) is not None:
                self._size -= self.size(old)
            self._items[k] = item
            self._size += size
            while self._size > self.limit:
                _, dropped = self._items.popitem(last=False)
                self._size -= self.size(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


# 64 MB a process: every authority's dashboard (about 75 kB pickled) a few times over.
MEMO = Memo(limit=64 * 1024 * 1024)
# Pictures as at an earlier day (`authority`), the 64 latest a process. Kept as built, not
# pickled: nothing changes a picture once it is built (the page and its download only read it),
# and pickling one cost a tenth of building it.
AS_AT = Memo(limit=64, size=lambda _item: 1)


def _read(k: str):
    """The value under key `k`: from this process's copy, else from the shared cache (then
    kept); None when neither has it."""
    return _read_many([k]).get(k)


def _write(k: str, value) -> None:
    _write_many({k: value})


def _read_many(keys: list[str]) -> dict:
    """`_read` for many keys at once: one round trip to the shared cache for those this
    process has no copy of. Only the keys found are in the answer."""
    memo = Memo.in_use()
    items = {k: item for k in keys if (item := MEMO.get(k)) is not None} if memo else {}
    wanted = [k for k in keys if k not in items]
    for k, item in (cache.get_many(wanted) if wanted else {}).items():
        items[k] = item
        if memo:
            MEMO.put(k, item)
    return {k: unpack(item) for k, item in items.items()}


def _write_many(values: dict) -> None:
    items = {k: pack(value) for k, value in values.items()}
    cache.set_many(items, TIMEOUT)
    if Memo.in_use():
        for k, item in items.items():
            MEMO.put(k, item)


def cached(kind: str, stamps, today: datetime.date, variant=()):
    """What is cached for this key (see `key`), or None."""
    if connection.vendor not in STAMPED_VENDORS:
        return None  # no triggers keep stamps here: never trust a cache entry
    return _read(key(kind, stamps, today, variant))


def store(kind: str, stamps, today: datetime.date, value, variant=()) -> None:
    """Caches `value` for this key. The stamps must have been read before `value` was built (as
    the views do): the value is then at least as new as the stamps say, so a key never holds
    older data than its stamps."""
    if connection.vendor in STAMPED_VENDORS:
        _write(key(kind, stamps, today, variant), value)


def get_or_build[T](
    kind: str,
    stamps: list[tuple[int, int | None]],
    today: datetime.date,
    build: Callable[[], T],
    *,
    rebuild: bool = False,
) -> T:
    """The cached `kind` for these authorities' stamps and today, or `build()` (then cached;
    always, with `rebuild`)."""
    value = None if rebuild else cached(kind, stamps, today)
    if value is None:
        value = build()
        store(kind, stamps, today, value)
    return value


def authority(
    the_authority: LocalAuthority,
    *,
    today: datetime.date,
    as_at: datetime.date | None = None,
    rebuild=False,
) -> dict:
    """The authority dashboard's data and charts. `the_authority` comes from `with_stamps`.

    As at an earlier day the picture comes from the history as it stood at the end of that day,
    which nothing done later can change: it is kept under the day alone, not the stamp, and in
    this process's copy only (`AS_AT`), never the shared cache. Anyone may ask for any day, so
    the shared cache would take one entry per authority and day asked, and past its size limit
    would drop a third of its entries, today's dashboards among them; and writing an entry there
    costs the viewer a transaction, for a picture that takes a few tens of milliseconds to build."""
    if as_at is not None and as_at < today:
        k = key("authority-as-at", [(the_authority.pk, None)], as_at)
        built = None if rebuild else AS_AT.get(k)
        if built is None:
            built = _build_authority(the_authority, as_at, history=True)
            AS_AT.put(k, built)
        return built
    return get_or_build(
        "authority",
        [(the_authority.pk, the_authority.data_version)],
        today,
        lambda: _build_authority(the_authority, today, history=False),
        rebuild=rebuild,
    )


def portfolio(
    stamps: list[tuple[int, int | None]], *, today: datetime.date, rebuild=False
) -> selectors.Portfolio:
    """The portfolio of exactly these authorities: (pk, stamp) pairs from `with_stamps` on the
    authorities the user may see. Each authority's line is cached under its own stamp, so a
    change in one authority rebuilds one line, not all of them: one cache read for all the lines,
    one build (selectors.portfolio_rows) for those missing."""
    keys = {pk: key("portfolio-row", [(pk, stamp)], today) for pk, stamp in stamps}
    found = {}
    if connection.vendor in STAMPED_VENDORS and not rebuild:
        hits = _read_many(list(keys.values()))
        found = {pk: hits[k] for pk, k in keys.items() if k in hits}
    missing = [pk for pk in keys if pk not in found]
    if missing:
        built = selectors.portfolio_rows(authority_ids=missing, today=today)
        found.update(built)
        if connection.vendor in STAMPED_VENDORS:
            _write_many({keys[pk]: row for pk, row in built.items()})
    return selectors.portfolio(
        [found[pk] for pk in keys if pk in found], total_count=LocalAuthority.objects.count()
    )


def _build_authority(the_authority: LocalAuthority, day: datetime.date, *, history: bool) -> dict:
    dashboard = selectors.authority_dashboard(authority=the_authority, today=day, as_at=history)
    history = judgement_history_svg(
        [
            HistoryPoint(
                start_date=inspection.start_date,
                label=f"{inspection.get_event_type_display()} ({inspection.framework.code})",
                grade=deadlines.effective_grade(
                    {
                        code: judgement.grade
                        for code, judgement in dashboard.judgements_by_inspection.get(
                            inspection.pk, {}
                        ).items()
                    }
                ),
            )
            for inspection in dashboard.graded
        ],
        title=f"{the_authority.name}: headline grade at each graded inspection",
        judged="headline grade",
    )
    trend = rag_trend_svg(
        [(area.title, dashboard.trend[area.pk]) for area in dashboard.afis],
        dashboard.trend_months,
        title=f"{the_authority.name}: RAG of each current area for improvement, "
        f"last {selectors.TREND_MONTHS} months",
    )
    built = {
        "authority": the_authority,
        "dashboard": dashboard,
        "history_chart": history,
        "trend_chart": trend,
        "window_kind": EventType(dashboard.window.expected_type).label
        if dashboard.window
        else None,
        "due_soon_days": selectors.DUE_SOON_DAYS,
    }
    # No request: nothing about the viewer can reach the cached HTML.
    built["body"] = render_to_string("dashboards/authority.html#body", built)
    return built


@dataclass(frozen=True)
class Warmed:
    kind: str
    built: bool
    seconds: float


def warm(*, today: datetime.date, rebuild: bool = False) -> list[Warmed]:
    """Builds into the cache every authority's dashboard and portfolio line (so every portfolio,
    the national one included, is ready) that are not there yet for `today`; every one with
    `rebuild`. Returns what it did and how long each took."""
    done = []
    authorities = list(with_stamps(LocalAuthority.objects.order_by("name")))
    for the_authority in authorities:
        stamps = [(the_authority.pk, the_authority.data_version)]
        if not rebuild and cached("authority", stamps, today) is not None:
            done.append(Warmed("authority", built=False, seconds=0.0))
            continue
        started = time.perf_counter()
        authority(the_authority, today=today, rebuild=True)
        done.append(Warmed("authority", built=True, seconds=time.perf_counter() - started))
    stamps = [(a.pk, a.data_version) for a in authorities]
    row_keys = [key("portfolio-row", [pair], today) for pair in stamps]
    if not rebuild and len(cache.get_many(row_keys)) == len(row_keys):
        done.append(Warmed("portfolio", built=False, seconds=0.0))
        return done
    started = time.perf_counter()
    portfolio(stamps, today=today, rebuild=rebuild)
    done.append(Warmed("portfolio", built=True, seconds=time.perf_counter() - started))
    return done
