"""The read-only API: tokens, scoping, filters and paging, rate limit, logging, and a fixed number
of queries per list whatever the data size. (Every role against every endpoint, with another
authority's markers, is the permission matrix's: tests/test_permission_matrix.py.)"""

import datetime
import logging

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.api_tokens import api_token_create, api_token_revoke, digest, record_use
from accounts.models import ApiToken
from api.views import LISTS
from core.months import previous_month
from improvement_plans.models import ActionStatus, Rag
from improvement_plans.selectors import this_month
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    ProgressUpdateFactory,
    api_token_for,
)

pytestmark = pytest.mark.django_db


def _plant(authority, officer, *, start=datetime.date(2023, 3, 13), title="The quality of plans"):
    inspection = InspectionFactory(authority=authority, start_date=start)
    JudgementFactory(inspection=inspection, grade="requires_improvement")
    area = FindingFactory(inspection=inspection, lead=officer, title=title)
    ImprovementPlanFactory(inspection=inspection)
    ActionFactory(area_for_improvement=area)
    ProgressUpdateFactory(
        area_for_improvement=area, author=officer, month=previous_month(this_month())
    )
    return inspection


@pytest.fixture
def world(authority, other_authority, officer, outsider):
    return {
        "own": _plant(authority, officer, title="Own area"),
        "other": _plant(other_authority, outsider, title="Their area"),
    }


def api(token: str | None = None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(headers=headers)


def url(name: str) -> str:
    return reverse(f"api:{name}")


@pytest.mark.parametrize("name", LISTS)
def test_every_list_shows_only_the_token_owners_authorities(world, viewer, name):
    response = api(api_token_for(viewer)).get(url(name), {"count": "true"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["results"]) == 1
    text = response.content.decode()
    assert "Gateshead" not in text and "Their area" not in text
    # Never stored by a browser or proxy: it holds the authority's data.
    assert "no-store" in response["Cache-Control"]


def test_a_request_without_a_working_token_is_401(world, viewer):
    assert api().get(url("inspections")).status_code == 401
    response = api("ilacs_not-a-token").get(url("inspections"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Gateshead" not in response.content.decode()
    assert api("not even the right shape").get(url("inspections")).status_code == 401
    client = Client(headers={"Authorization": "Basic dmlld2VyOnBhc3N3b3Jk"})
    assert client.get(url("inspections")).status_code == 401
    # A session is not a token: the API answers tokens only.
    client = Client()
    client.force_login(viewer)
    assert client.get(url("inspections")).status_code == 401


def test_a_revoked_or_expired_token_or_a_switched_off_owners_is_401(world, viewer, caplog):
    token, secret = api_token_create(user=viewer, name="Power BI", expires_on=timezone.localdate())
    assert api(secret).get(url("authorities")).status_code == 200  # works through its last day
    ApiToken.objects.filter(pk=token.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with caplog.at_level(logging.WARNING, logger="ilacs.security"):
        assert api(secret).get(url("authorities")).status_code == 401
    assert any(getattr(r, "reason", "") == "expired API token" for r in caplog.records)
    assert secret not in caplog.text

    token, secret = api_token_create(
        user=viewer, name="Excel", expires_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    assert api(secret).get(url("authorities")).status_code == 200
    api_token_revoke(user=viewer, token_pk=token.pk)
    assert api(secret).get(url("authorities")).status_code == 401

    secret = api_token_for(viewer)
    viewer.is_active = False
    viewer.save()
    assert api(secret).get(url("authorities")).status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("name", LISTS)
def test_a_token_cannot_write_anything_whatever_its_owners_role(world, manager, method, name):
    client = api(api_token_for(manager))
    response = getattr(client, method)(url(name), data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_a_token_reads_as_its_owner_today_and_loses_what_they_lose(world, viewer, authority):
    secret = api_token_for(viewer)
    assert len(api(secret).get(url("updates")).json()["results"]) == 1
    viewer.memberships.all().delete()
    assert api(secret).get(url("updates"), {"count": "true"}).json()["count"] == 0


def test_each_request_is_logged_with_the_tokens_name_and_its_last_use_recorded(
    world, viewer, caplog
):
    token, secret = api_token_create(
        user=viewer, name="Power BI board pack", expires_on=timezone.localdate()
    )
    assert token.digest == digest(secret) and secret not in token.digest
    assert not ApiToken.objects.filter(digest__contains=secret[6:20]).exists()
    with caplog.at_level(logging.INFO, logger="ilacs.api"):
        api(secret).get(url("actions"), {"status": "not_started"})
    [record] = [r for r in caplog.records if r.name == "ilacs.api"]
    assert record.token_name == "Power BI board pack"
    assert record.user_id == viewer.pk and record.username == "viewer"
    assert record.path == url("actions") and record.query == "status=not_started"
    assert secret not in caplog.text
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_over_its_rate_limit_gets_429_with_retry_after(world, viewer, settings, caplog):
    settings.API_RATE_LIMIT = 3
    secret = api_token_for(viewer)
    client = api(secret)
    assert [client.get(url("authorities")).status_code for _ in range(3)] == [200] * 3
    with caplog.at_level(logging.WARNING, logger="ilacs.api"):
        response = client.get(url("authorities"))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert any(r.getMessage() == "API rate limit reached" for r in caplog.records)
    # Another token (of the same person) has its own count.
    assert api(api_token_for(viewer)).get(url("authorities")).status_code == 200


def test_the_rate_limit_counts_each_minute_afresh_and_a_refused_request_is_not_a_use(viewer):
    token = ApiToken.objects.get(digest=digest(api_token_for(viewer)))
    minute = datetime.datetime(2026, 3, 2, 9, 15, tzinfo=datetime.UTC)
    assert [record_use(token, limit=2, now=minute) for _ in range(3)] == [True, True, False]
    token.refresh_from_db()
    assert (token.rate_count, token.last_used_at) == (2, minute)
    # The next minute starts again from one.
    later = minute + datetime.timedelta(seconds=60)
    assert record_use(token, limit=2, now=later) is True
    token.refresh_from_db()
    assert (token.rate_count, token.last_used_at) == (1, later)


def test_the_lists_filter_by_authority_region_dates_and_state(
    administrator, authority, other_authority, officer, outsider
):
    _plant(authority, officer, title="2023 area")
    later = _plant(authority, officer, start=datetime.date(2025, 6, 2), title="2025 area")
    _plant(other_authority, outsider, title="Gateshead area")
    ActionFactory(
        area_for_improvement=later.findings.get(),
        status=ActionStatus.COMPLETE,
        completed_on=datetime.date(2025, 7, 1),
        due_date=datetime.date(2025, 9, 30),
    )
    client = api(api_token_for(administrator))

    def titles(name, **query):
        response = client.get(url(name), query)
        assert response.status_code == 200, response.content
        return sorted(
            r.get("title") or r.get("area_for_improvement") or r.get("description") or r["name"]
            for r in response.json()["results"]
        )

    assert titles("findings", authority=authority.pk) == ["2023 area", "2025 area"]
    assert titles("findings", region="North East") == ["Gateshead area"]
    assert titles("findings", since="2025-01-01") == ["2025 area"]
    assert titles("findings", until="2024-12-31") == ["2023 area", "Gateshead area"]
    assert titles("findings", kind="strength") == []
    assert titles("authorities", region="North East") == ["Gateshead"]
    assert len(titles("actions", status="complete")) == 1
    assert len(titles("actions", since="2025-09-01", until="2025-09-30")) == 1
    [action] = client.get(url("actions"), {"status": "complete"}).json()["results"]
    assert (action["complete"], action["late"]) == (True, False)
    assert titles("updates", status="draft", authority=authority.pk) == ["2023 area", "2025 area"]
    assert titles("updates", status="approved") == []
    assert titles("updates", rag=Rag.AMBER, region="North East") == ["Gateshead area"]
    [judgement] = client.get(url("judgements"), {"since": "2025-01-01"}).json()["results"]
    assert judgement["grade"] == "requires_improvement"
    assert judgement["judgement_area"] == "overall_effectiveness"
    [inspection] = client.get(url("inspections"), {"since": "2025-01-01"}).json()["results"]
    assert (inspection["framework"], inspection["graded"]) == ("ILACS-2023", True)
    [update] = client.get(url("updates"), {"authority": authority.pk, "limit": 1}).json()["results"]
    assert (update["state"], update["reported"]) == ("Draft", False)


def test_bad_filters_get_a_clear_error(world, viewer):
    client = api(api_token_for(viewer))
    for query in [
        {"since": "31/02/2025"},
        {"limit": "0"},
        {"limit": "5000"},
        {"offset": "-1"},
        {"status": "finished"},
        {"authority": "North Somerset"},
        {"authority": str(2**64)},
        {"offset": str(2**64)},
    ]:
        response = client.get(url("updates"), query)
        assert response.status_code == 422, query
        assert response.json()["detail"], query
    response = client.get(url("updates"), {"since": "2025-02-01", "until": "2025-01-01"})
    assert response.status_code == 422
    assert response.json()["detail"] == "since must be on or before until"


def test_the_lists_are_paged_with_links_to_the_next_and_previous_pages(administrator, db):
    for number in range(5):
        LocalAuthorityFactory(name=f"Authority {number}")
    client = api(api_token_for(administrator))
    first = client.get(url("authorities"), {"limit": 2, "region": "South West"}).json()
    assert first["count"] is None and first["previous"] is None  # counted only when asked
    counted = client.get(url("authorities"), {"limit": 2, "region": "South West", "count": "true"})
    assert counted.json()["count"] == 5 and "count=true" in counted.json()["next"]
    assert [a["name"] for a in first["results"]] == ["Authority 0", "Authority 1"]
    assert "offset=2" in first["next"] and "region=South+West" in first["next"]
    second = client.get(first["next"]).json()
    assert [a["name"] for a in second["results"]] == ["Authority 2", "Authority 3"]
    last = client.get(second["next"]).json()
    assert [a["name"] for a in last["results"]] == ["Authority 4"]
    assert last["next"] is None and "offset=2" in last["previous"]


def test_the_openapi_description_lists_every_list_and_the_token_scheme(db):
    response = Client().get(reverse("api:openapi-json"))
    assert response.status_code == 200
    schema = response.json()
    assert {f"/api/v1/{name}" for name in LISTS} <= set(schema["paths"])
    assert all(set(schema["paths"][f"/api/v1/{name}"]) == {"get"} for name in LISTS)
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    index = Client().get(reverse("api:api-root")).json()
    assert index["lists"]["updates"].endswith("/api/v1/updates")


def _grow(authority, officer, count: int) -> None:
    for number in range(count):
        inspection = InspectionFactory(
            authority=authority,
            start_date=datetime.date(2019, 1, 7) + datetime.timedelta(weeks=number),
        )
        JudgementFactory(inspection=inspection)
        area = FindingFactory(inspection=inspection, lead=officer)
        ImprovementPlanFactory(inspection=inspection)
        ActionFactory(area_for_improvement=area)
        ProgressUpdateFactory(area_for_improvement=area, author=officer, reviewed_by=officer)
        LocalAuthorityFactory()


@pytest.mark.parametrize("name", LISTS)
def test_every_list_runs_the_same_queries_whatever_the_data_size(
    world, authority, officer, administrator, name
):
    client = api(api_token_for(administrator))
    counts = []
    for more in (0, 25):
        _grow(authority, officer, more)
        for query in ({"limit": 1000}, {"limit": 1000, "count": "true"}):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url(name), query)
            assert response.status_code == 200
            counts.append(len(captured.captured_queries))
    # The token with its owner; its use and the rate limit's count (one UPDATE); the page's
    # keys; the page's records; and the count when asked.
    assert counts == [4, 5, 4, 5], "\n".join(q["sql"] for q in captured.captured_queries)


def test_the_query_count_holds_for_a_member_too(world, authority, officer, viewer):
    client = api(api_token_for(viewer))
    counts = []
    for more in (0, 10):
        _grow(authority, officer, more)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("updates")).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts == [4, 4]
