"""A server warms WeasyPrint up as it starts, so its first PDF does not wait for the import and
the fonts; other processes (tests, management commands) do not pay for it."""

import sys

from django.apps import apps

from reports import pdf


def test_a_gunicorn_server_warms_weasyprint_up_as_it_starts(monkeypatch):
    calls = []
    monkeypatch.setattr(pdf, "warm_up", lambda: calls.append("warm"))
    config = apps.get_app_config("reports")
    monkeypatch.delitem(sys.modules, "gunicorn.arbiter", raising=False)
    config.ready()
    assert calls == []
    monkeypatch.setitem(sys.modules, "gunicorn.arbiter", object())
    config.ready()
    assert calls == ["warm"]


def test_the_warm_up_lays_a_page_out():
    pdf.warm_up()
    assert "weasyprint" in sys.modules
