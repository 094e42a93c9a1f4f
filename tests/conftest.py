"""Shared fixtures: the three users every permission test needs (one who belongs, a read-only
teammate, an outsider), an administrator, and the browser harness for accessibility tests."""

import atexit
import datetime
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from accounts.models import Role
from tests.factories import LocalAuthorityFactory, MembershipFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make around
# it are ordinary synchronous calls, so Django's async-safety guard must not refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Password hashing is deliberately slow; tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Evidence files go to a folder of the run's own (removed at the end), never the project's
    # media folder; `evidence_folder` gives a test an empty one of its own.
    evidence = Path(tempfile.mkdtemp(prefix="ilacs-evidence-"))
    atexit.register(shutil.rmtree, evidence, ignore_errors=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": evidence},
        },
    }
    settings.EVIDENCE_ROOT = evidence


@pytest.fixture
def authority(db):
    return LocalAuthorityFactory(name="North Somerset")


@pytest.fixture
def other_authority(db):
    return LocalAuthorityFactory(name="Gateshead", region="North East")


def _member(username, authority, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, authority=authority, role=role)
    return user


@pytest.fixture
def officer(authority):
    return _member("officer", authority, Role.OFFICER)


@pytest.fixture
def manager(authority):
    return _member("manager", authority, Role.MANAGER)


@pytest.fixture
def viewer(authority):
    return _member("viewer", authority, Role.VIEWER)


@pytest.fixture
def outsider(other_authority):
    """An officer of another authority: must never see the first authority's data."""
    return _member("outsider", other_authority, Role.OFFICER)


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one test cached (the dashboards, say) must not
    answer for another's data."""
    from django.core.cache import cache

    from dashboards.snapshots import AS_AT, MEMO

    cache.clear()
    MEMO.clear()
    AS_AT.clear()
    yield


@pytest.fixture
def evidence_folder(settings, tmp_path_factory):
    """An empty folder of the test's own for evidence files, to look at what was stored."""
    location = tmp_path_factory.mktemp("evidence")
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location},
        },
    }
    settings.EVIDENCE_ROOT = location
    return location


# Each report file read by the upload views, by (its bytes' digest, its name), for the whole run.
_REPORTS_READ: dict = {}


@pytest.fixture
def reports_read_once(monkeypatch):
    """The report upload reads each fixture PDF once in the whole run, however many tests upload
    it. parse_report gives the same result for the same bytes and file name (the parser's own
    tests, which call it directly, still read every time); a long SIF report takes seconds to
    read. Each caller gets its own copy; a file that is refused is read again each time."""
    import copy
    import hashlib

    from inspections import ofsted_report

    read = ofsted_report.parse_report

    def parse_report(data: bytes, *, filename: str | None = None):
        key = (hashlib.sha256(data).hexdigest(), filename)
        if key not in _REPORTS_READ:
            _REPORTS_READ[key] = read(data, filename=filename)
        return copy.deepcopy(_REPORTS_READ[key])

    monkeypatch.setattr(ofsted_report, "parse_report", parse_report)


# "Today" for the demo data in tests: the day the seeder's months and states are worked out from.
DEMO_TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_seeded_once(django_db_setup, django_db_blocker):
    """The demo data as `make run` seeds it (as on DEMO_TODAY), seeded once for a module's tests
    (it takes seconds), inside a transaction rolled back when they are done. Each test that asks
    for it also asks for `db`, whose savepoint undoes what the test changes before the next.
    Only for a module whose every test may see the demo data: the transaction stays open from
    the first test that asks for it to the module's end, so the module's other tests see it too."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo_data()
        yield
        transaction.set_rollback(True)


def seed_demo_data() -> None:
    """The demo data as `make run` seeds it, with "today" fixed at DEMO_TODAY."""
    from django.core.management import call_command

    from ilacs.demo import DemoSeeder

    call_command("load_authorities", verbosity=0)
    DemoSeeder(today=DEMO_TODAY).run()
