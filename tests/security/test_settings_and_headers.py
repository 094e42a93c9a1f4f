"""Production settings: refused without their secrets, `check --deploy` clean, and the security
headers on a signed-in page as a production server sends them."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from ilacs.log_format import JsonFormatter
from tests.security.conftest import PRODUCTION_ENV, production_settings

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


def test_production_refuses_to_start_without_a_secret_key():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        production_settings(SECRET_KEY="")


def test_production_refuses_to_start_without_allowed_hosts():
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        production_settings(ALLOWED_HOSTS="")


def test_production_refuses_to_start_without_the_sites_address():
    with pytest.raises(ImproperlyConfigured, match="SITE_URL must be set when DEBUG is off"):
        production_settings(SITE_URL="")
    with pytest.raises(ImproperlyConfigured, match="SITE_URL must start with https://"):
        production_settings(SITE_URL="ilacs.example.gov.uk")
    assert production_settings(SITE_URL="https://ilacs.example.gov.uk/")["SITE_URL"] == (
        "https://ilacs.example.gov.uk"
    )


def test_every_setting_the_code_reads_is_defined():
    """The code reads settings directly (settings.NAME): a getattr with a default would hide a
    setting nobody defined, as SITE_URL once was."""
    sources = [
        path
        for path in ROOT.glob("**/*.py")
        if not {".venv", "node_modules", "tests"} & set(path.relative_to(ROOT).parts)
    ]
    hidden = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in sources
        for line in path.read_text(encoding="utf-8").splitlines()
        if "getattr(settings" in line
    ]
    assert hidden == []


def test_production_refuses_an_unknown_two_factor_policy():
    with pytest.raises(ImproperlyConfigured, match="REQUIRE_TWO_FACTOR"):
        production_settings(REQUIRE_TWO_FACTOR="managers-only")


def test_production_settings_are_https_only_with_a_year_of_hsts():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert values["CACHES"]["default"]["BACKEND"].endswith("DatabaseCache")
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "ilacs.storage.StaticFilesStorage"


def test_a_tls_terminating_proxy_is_trusted_only_when_configured():
    assert "SECURE_PROXY_SSL_HEADER" not in production_settings()
    behind_proxy = production_settings(SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production_settings(SECURE_SSL_REDIRECT="false")["SECURE_SSL_REDIRECT"] is False


def test_check_deploy_passes_with_the_production_environment():
    env = {**os.environ, **PRODUCTION_ENV}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests, never in deployment
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_a_signed_in_page_carries_every_security_header(client, officer, production_security):
    response = client.post(
        reverse("accounts:sign_in"), {"username": "officer", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"] and session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"

    response = client.get(reverse("home"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "img-src 'self' data:" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "no-cache", "private", "max-age=0"} <= cache_control


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, production_security):
    response = client.get(reverse("accounts:sign_in"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_a_signed_out_public_page_is_not_marked_no_store(client, production_security):
    response = client.get(reverse("accessibility"), secure=True)
    assert "no-store" not in response.get("Cache-Control", "")


def test_logs_are_one_json_object_per_line_with_the_extra_fields():
    record = logging.makeLogRecord(
        {
            "name": "ilacs.security",
            "levelname": "WARNING",
            "msg": "sign-in %s",
            "args": ("failure",),
            "event": "sign_in",
            "username": 'a "quoted"\nname',
        }
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "sign-in failure"
    assert entry["event"] == "sign_in"
    assert entry["username"] == 'a "quoted"\nname'
    assert entry["level"] == "WARNING" and entry["logger"] == "ilacs.security"


def test_production_logs_json_by_default():
    values = production_settings()
    assert values["LOGGING"]["handlers"]["console"]["formatter"] == "json"


def test_collectstatic_builds_hashed_compressed_files(settings, tmp_path):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": production_settings()["STORAGES"]["staticfiles"]["BACKEND"]},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed_css = manifest["paths"]["css/app.css"]
    assert hashed_css != "css/app.css"
    assert (tmp_path / hashed_css).exists() and (tmp_path / f"{hashed_css}.gz").exists()
