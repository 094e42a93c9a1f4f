"""Browser tests: pytest-playwright drives Debian's Chromium against pytest-django's live server.

Every test here runs against the live server, so it uses a transactional database that is emptied
after each test; `reference_data` puts back the frameworks the migrations first loaded.
Run a test without JavaScript with `@pytest.mark.browser_context_args(java_script_enabled=False)`.
"""

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from tests.reference_data import load_reference_data

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Flags that keep headless Chromium quiet on a machine whose only network is loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not at {CHROMIUM}. `make test` installs it (Debian package chromium), "
            "or set CHROMIUM_PATH."
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url}


@pytest.fixture(autouse=True)
def reference_data(live_server, transactional_db) -> None:
    load_reference_data()


@pytest.fixture
def sign_in_browser(live_server) -> Callable[[Page, object], None]:
    """Signs `user` in to `page` without the form (the sign-in tests go through the form)."""

    def sign_in(page: Page, user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in
