"""Bulk changes: work that each saved change starts at once, done once at the end instead.

A change to an authority's records asks for its dashboards to be rebuilt when its transaction
commits (dashboards.tasks). An import of hundreds of reports, each in its own transaction, would
rebuild the national portfolio hundreds of times. Inside `with deferred():` such work is handed
to `defer()` instead, under a key, and runs once, for everything changed, when the outermost
block ends (whether it ends normally or with an error: what was committed stays committed).

Lower layers wrap their bulk work in `deferred()` without knowing what upper layers defer."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

_local = threading.local()


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    outermost = getattr(_local, "pending", None) is None
    if outermost:
        _local.pending = {}
    try:
        yield
    finally:
        if outermost:
            pending, _local.pending = _local.pending, None
            for callback in pending.values():
                callback()


def defer(key: str, callback: Callable[[], None]) -> bool:
    """Inside `deferred()`: keeps `callback` (the first one given for `key`) to run at the end,
    and returns True. Outside: returns False, and the caller does its work now."""
    pending = getattr(_local, "pending", None)
    if pending is None:
        return False
    pending.setdefault(key, callback)
    return True


def active() -> bool:
    return getattr(_local, "pending", None) is not None
