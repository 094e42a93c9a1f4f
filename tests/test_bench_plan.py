"""bench/prepare.py's plan for `make bench` (not the benchmark itself, which needs a seeded
national database): the API's lists are among the pages measured, with working API tokens of
the national viewer, each token a key to the first page of every list."""

import importlib.util
import json
from pathlib import Path

import pytest
from django.test import Client

from ilacs.demo.national import NATIONAL_VIEWER
from tests.factories import FindingFactory, InspectionFactory, LocalAuthorityFactory, UserFactory

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_the_plan_has_the_api_lists_and_tokens_that_read_them(tmp_path, administrator):
    authority = LocalAuthorityFactory(name="North Somerset")
    FindingFactory(inspection=InspectionFactory(authority=authority))
    UserFactory(username=NATIONAL_VIEWER, is_superuser=True)
    prepare = _load("prepare")
    path = tmp_path / "plan.json"
    prepare.main(str(path))
    prepare.main(str(path))  # a reused database: the earlier run's tokens are revoked
    plan = json.loads(path.read_text())
    assert plan["pages"]["API updates"] == "/api/v1/updates?limit=100"
    assert plan["api_lists"] == [f"API {name}" for name in prepare.API_LISTS]
    assert len(plan["api_tokens"]) == 20
    for label in plan["api_lists"]:
        response = Client(headers={"Authorization": f"Bearer {plan['api_tokens'][0]}"}).get(
            plan["pages"][label]
        )
        assert response.status_code == 200, label
        assert "results" in response.json()
    from accounts.models import ApiToken

    assert ApiToken.objects.filter(revoked_at=None).count() == 20
    # bench/report.py judges each of them against the floor.
    assert list(_load("report").API_PAGES) == plan["api_lists"]
