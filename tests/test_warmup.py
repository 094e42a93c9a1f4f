"""A server process loads its slow first-time things before its first request (ilacs/warmup.py,
called by gunicorn.conf.py in the master process before the workers fork)."""

import datetime
import runpy
from pathlib import Path
from unittest import mock

from django.template import engines

from ilacs import warmup
from inspections import deadlines


def test_warm_loads_the_bank_holidays_and_the_busiest_templates():
    deadlines._bank_holidays.cache_clear()
    warm_day = datetime.date(2026, 11, 30)

    warmup.warm(today=warm_day)  # fails if a listed template no longer exists

    cached = deadlines._bank_holidays.cache_info().currsize
    assert cached == 3  # 2025, 2026 and 2027
    loader = engines["django"].engine.template_loaders[0]  # Django's cached loader
    assert set(warmup.TEMPLATES) <= set(loader.get_template_cache)


def test_gunicorn_warms_in_its_master_process():
    config = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    calls = mock.Mock()
    with (
        mock.patch.object(warmup, "warm", calls.warm),
        mock.patch.object(warmup, "freeze", calls.freeze),
    ):
        config["when_ready"](server=None)
    # Loaded first, then set aside from the garbage collector: in that order.
    assert calls.mock_calls == [mock.call.warm(), mock.call.freeze()]


def test_freezing_sets_what_is_loaded_aside_from_the_garbage_collector():
    import gc

    try:
        warmup.freeze()
        assert gc.get_freeze_count() > 10_000  # Django and the app, at least
    finally:
        gc.unfreeze()
