"""The portfolio dashboard: scoping, the grid's grades and counts, filters and sorting in the URL,
the grade distribution, the national picture, and a fixed number of queries."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import LocalAuthority, Membership, Role
from core.months import add_months
from ilacs.demo.national import NATIONAL_VIEWER, NationalSeeder
from improvement_plans.models import Rag, UpdateStatus
from improvement_plans.rules import overdue_month
from tests.dashboards.pages import main_content
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    ProgressUpdateFactory,
    UserFactory,
    judgement_area,
)

URL = reverse("dashboards:portfolio")


def _inspect(authority, start, **grades):
    inspection = InspectionFactory(authority=authority, start_date=start)
    for code, grade in grades.items():
        JudgementFactory(inspection=inspection, area=judgement_area(inspection, code), grade=grade)
    return inspection


@pytest.fixture
def regional(db):
    """A regional viewer of three authorities; a fourth exists that they cannot see."""
    due = overdue_month(timezone.localdate())
    bristol = LocalAuthorityFactory(name="Bristol", region="South West")
    leeds = LocalAuthorityFactory(name="Leeds", region="Yorkshire and the Humber")
    york = LocalAuthorityFactory(name="York", region="Yorkshire and the Humber")
    hidden = LocalAuthorityFactory(name="Hiddenshire", region="South West")
    user = UserFactory(username="regional")
    for authority in (bristol, leeds, york):
        Membership.objects.create(user=user, authority=authority, role=Role.VIEWER)

    latest = _inspect(
        bristol,
        datetime.date(2023, 3, 13),
        overall_effectiveness="good",
        care_leavers="requires_improvement",
    )
    red = FindingFactory(inspection=latest, title="Red area")
    ProgressUpdateFactory(
        area_for_improvement=red, month=due, rag=Rag.RED, status=UpdateStatus.APPROVED
    )
    missing = FindingFactory(inspection=latest, title="Overdue area")
    ProgressUpdateFactory(
        area_for_improvement=missing,
        month=add_months(due, -1),
        rag=Rag.AMBER,
        status=UpdateStatus.APPROVED,
    )
    FindingFactory(inspection=latest, title="Never reported")  # no RAG yet, and overdue

    _inspect(
        leeds,
        datetime.date(2019, 5, 13),
        overall_effectiveness="outstanding",
        impact_of_leaders="outstanding",
    )
    _inspect(hidden, datetime.date(2022, 5, 9), overall_effectiveness="inadequate")
    return {"user": user, "bristol": bristol, "leeds": leeds, "york": york, "hidden": hidden}


def _rows(client, user, query=""):
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return response, {row.authority.name: row for row in response.context["rows"]}


def test_a_regional_viewer_sees_exactly_their_authorities(client, regional):
    response, rows = _rows(client, regional["user"])
    assert sorted(rows) == ["Bristol", "Leeds", "York"]
    assert b"Hiddenshire" not in response.content


def test_it_shows_each_authoritys_latest_grades_and_counts(client, regional):
    response, rows = _rows(client, regional["user"])
    bristol = rows["Bristol"]
    assert bristol.headline == "good"
    assert bristol.grades == {
        "overall_effectiveness": "good",
        "care_leavers": "requires_improvement",
    }
    assert bristol.rag_counts == {"red": 1, "amber": 1, "green": 0, "complete": 0, None: 1}
    assert bristol.overdue == 2  # the amber one (last reported a month early) and the unreported
    assert rows["York"].latest is None and rows["York"].headline is None
    # One column per judgement area in the latest inspections; overall effectiveness is the
    # headline column.
    assert [c.name for c in response.context["columns"]] == ["Impact of leaders", "Care leavers"]


def test_it_filters_by_region_grade_and_framework_from_the_url(client, regional):
    user = regional["user"]
    _, rows = _rows(client, user, "?region=Yorkshire+and+the+Humber")
    assert sorted(rows) == ["Leeds", "York"]
    _, rows = _rows(client, user, "?grade=good")
    assert sorted(rows) == ["Bristol"]
    _, rows = _rows(client, user, "?grade=not_graded")
    assert sorted(rows) == ["York"]
    _, rows = _rows(client, user, "?framework=ILACS-2018")
    assert sorted(rows) == ["Leeds"]
    _, rows = _rows(client, user, "?region=Yorkshire+and+the+Humber&grade=outstanding")
    assert sorted(rows) == ["Leeds"]


def test_an_unknown_filter_value_gets_a_clear_error_and_filters_nothing_by_it(client, regional):
    response, rows = _rows(client, regional["user"], "?region=Atlantis&grade=good")
    assert b"Choose a region from the list" in response.content
    assert b"govuk-error-summary" in response.content
    assert response.content.decode().count("<title>Error: ") == 1
    assert sorted(rows) == ["Bristol"]  # the valid grade filter still applies


def test_it_sorts_and_keeps_the_filters_in_the_sort_links(client, regional):
    response, _ = _rows(client, regional["user"], "?sort=-red")
    names = [row.authority.name for row in response.context["rows"]]
    assert names[0] == "Bristol"
    response, _ = _rows(client, regional["user"], "?sort=-grade")
    assert [row.authority.name for row in response.context["rows"]] == ["Leeds", "Bristol", "York"]
    response, _ = _rows(client, regional["user"], "?sort=grade")
    # Ascending still puts the ungraded last: there is nothing to sort it by.
    assert [row.authority.name for row in response.context["rows"]] == ["Bristol", "Leeds", "York"]
    headers = response.context["headers"]
    assert headers["grade"]["aria_sort"] == "ascending"
    assert headers["grade"]["url"] == "?sort=-grade"
    response, _ = _rows(client, regional["user"], "?region=South+West")
    assert response.context["headers"]["red"]["url"] == "?region=South+West&sort=-red"
    assert 'aria-sort="ascending"' in response.content.decode()  # by name, the default


def test_it_charts_the_grade_distribution_by_region(client, regional):
    response, _ = _rows(client, regional["user"])
    chart = response.context["distribution_chart"]
    assert chart.table_rows == (
        ("South West", "0", "1", "0", "0", "0", "1"),
        ("Yorkshire and the Humber", "1", "0", "0", "0", "1", "2"),
    )
    assert b'role="img"' in response.content


def test_the_national_picture_appears_only_for_someone_who_sees_all_153(client, administrator):
    call_command("load_authorities")
    response, _ = _rows(client, administrator)
    assert response.context["portfolio"].is_national
    assert b"National picture" in response.content
    assert b"all 153 local authorities" in response.content
    member = UserFactory(username="partial")
    for authority in LocalAuthority.objects.all()[:152]:
        Membership.objects.create(user=member, authority=authority, role=Role.VIEWER)
    response, _ = _rows(client, member)
    assert not response.context["portfolio"].is_national
    assert b"National picture" not in response.content


def test_a_user_without_authorities_sees_an_empty_grid(client, db):
    response, rows = _rows(client, UserFactory(username="nobody"))
    assert rows == {}
    assert b"No authorities match these filters" in response.content


def test_it_redirects_anonymous_users_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("count", [1, 153])
def test_it_runs_the_same_queries_for_1_or_153_authorities(
    client, django_assert_num_queries, db, count
):
    # All 153 authorities with national-scale histories (a short reporting window, for speed).
    call_command("load_authorities")
    NationalSeeder(months=3).run()
    if count == 153:
        user = UserFactory(username=NATIONAL_VIEWER)
    else:
        user = UserFactory(username="one.viewer")
        Membership.objects.create(
            user=user, authority=LocalAuthority.objects.get(name="Leeds"), role=Role.VIEWER
        )
    client.force_login(user)
    # Built: 1 session, 2 user, 3 the user's authorities with their data stamps, then each
    # authority's line (improvement_plans.records.load without detail): 4 authorities, 5
    # frameworks, 6 judgement areas, 7 inspections, 8 current areas, 9 their updates, 10
    # judgements; 11 the number of authorities, 12-14 savepoint, session expiry pushed back,
    # release
    with django_assert_num_queries(14):
        response = client.get(URL)
    assert len(response.context["rows"]) == count
    assert sum(sum(row.rag_counts.values()) for row in response.context["rows"]) > 0
    # From the cache: 1 session, 2 user, 3 the authorities with their stamps, 4-6 the session
    with django_assert_num_queries(6):
        again = client.get(URL)
    assert main_content(again) == main_content(response)


def test_the_latest_inspection_reads_as_a_date_then_its_kind(client, regional):
    """The cell's date and its kind are two lines, never run together ("Mar 2023Standard ...")."""
    response, rows = _rows(client, regional["user"])
    latest = rows["Bristol"].latest
    text = re.sub(r"<[^>]+>", "", main_content(response))
    assert f"{latest.start_date:%b %Y} Standard inspection" in " ".join(text.split())
    assert f"{latest.start_date:%b %Y}Standard" not in text


def test_it_shows_the_trend_of_the_authorities_shown(client, regional):
    """RAG totals month by month (the rules' reported updates of the current areas) and the
    headline grades at the end of each year, for the rows the filters leave."""
    from dashboards.selectors import trend_months

    response, _ = _rows(client, regional["user"])
    due = overdue_month(timezone.localdate())
    rag = {row[0]: row[1:] for row in response.context["rag_totals_chart"].table_rows}
    months = trend_months(timezone.localdate())
    assert list(rag) == [f"{month:%B %Y}" for month in months]
    # Columns: red, amber, green, complete, no update, total. Bristol's three current areas.
    assert rag[f"{due:%B %Y}"] == ("1", "0", "0", "0", "2", "3")
    assert rag[f"{add_months(due, -1):%B %Y}"] == ("0", "1", "0", "0", "2", "3")
    assert rag[f"{add_months(due, -2):%B %Y}"] == ("0", "0", "0", "0", "3", "3")

    years = {row[0]: row[1:] for row in response.context["grades_by_year_chart"].table_rows}
    # Columns: outstanding, good, requires improvement, inadequate, not graded, total.
    assert years["2018"] == ("0", "0", "0", "0", "3", "3")
    assert years["2020"] == ("1", "0", "0", "0", "2", "3")  # Leeds, inspected in May 2019
    assert years["2024"] == ("1", "1", "0", "0", "1", "3")  # and Bristol, in March 2023
    assert str(timezone.localdate().year) in years

    # The filters apply: Yorkshire alone has no current areas, and Leeds' grade only.
    filtered, _ = _rows(client, regional["user"], "?region=Yorkshire+and+the+Humber")
    rag = {row[0]: row[1:] for row in filtered.context["rag_totals_chart"].table_rows}
    assert rag[f"{due:%B %Y}"] == ("0", "0", "0", "0", "0", "0")
    years = {row[0]: row[1:] for row in filtered.context["grades_by_year_chart"].table_rows}
    assert years["2024"] == ("1", "0", "0", "0", "1", "2")
