"""Helpers for the security tests: the settings a production deployment actually gets."""

import os
import runpy
from pathlib import Path

import pytest

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "ilacs" / "settings.py"

# What a production deployment sets (README, "Deploying"): nothing else.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "ilacs.example.gov.uk",
    "SITE_URL": "https://ilacs.example.gov.uk",
}


def production_settings(**env: str) -> dict:
    """Runs ilacs/settings.py as a production server would, with PRODUCTION_ENV (plus `env`) as
    the only ILACS-related environment variables, and returns the settings it defines."""
    saved = os.environ.copy()
    try:
        for name in [
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SITE_URL",
            "SECURE_SSL_REDIRECT",
            "SECURE_PROXY_SSL_HEADER",
            "SESSION_IDLE_MINUTES",
            "CACHE_URL",
            "REQUIRE_TWO_FACTOR",
            "LOG_FORMAT",
        ]:
            os.environ.pop(name, None)
        os.environ.update({**PRODUCTION_ENV, **env})
        namespace = runpy.run_path(str(SETTINGS_FILE))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {name: value for name, value in namespace.items() if name.isupper()}


# The settings that make the production security behaviour; applied to the test run by the
# `production_security` fixture (the database, static files and logging stay the test's own).
SECURITY_SETTINGS = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CSP",
    "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_AGE",
    "SESSION_SAVE_EVERY_REQUEST",
    "SESSION_ENGINE",
    "MIDDLEWARE",
    "AUTHENTICATION_BACKENDS",
]


@pytest.fixture
def production_security(settings):
    """The test run's settings, with every security setting as production has it."""
    values = production_settings()
    for name in SECURITY_SETTINGS:
        setattr(settings, name, values[name])
    settings.ALLOWED_HOSTS = [*values["ALLOWED_HOSTS"], "testserver"]
    return values
