"""What Ofsted asks of councils like us (dashboards.themes_page): themes counted nationally and
among the neighbours, raised and not raised again at the next inspection, the authority's own
areas with their themes; cached, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import StatisticalNeighbour
from tests.dashboards.pages import main_content
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
OVERSIGHT = "The effectiveness of management oversight and supervision."
ASSESSMENTS = "The timeliness and quality of assessments."
FOSTERING = "The compliance with private fostering regulations."


def inspected(authority, start, *areas):
    inspection = InspectionFactory(
        authority=authority,
        start_date=start,
        event_type="sif" if start.year < 2018 else "standard",
    )
    JudgementFactory(inspection=inspection, grade="requires_improvement")
    for order, text in enumerate(areas, start=1):
        FindingFactory(inspection=inspection, text=text, title=text[:60], order=order)
    return inspection


@pytest.fixture
def history(authority, other_authority):
    """North Somerset told oversight and assessments, then only assessments; its neighbour
    Gateshead told oversight twice; Brent (not a neighbour) told private fostering, then
    oversight."""
    inspected(authority, D(2017, 6, 12), OVERSIGHT, ASSESSMENTS)
    inspected(authority, D(2023, 3, 13), ASSESSMENTS)
    inspected(other_authority, D(2015, 10, 27), OVERSIGHT)
    inspected(other_authority, D(2019, 4, 29), OVERSIGHT)
    brent = LocalAuthorityFactory(name="Brent", region="London")
    inspected(brent, D(2015, 9, 14), FOSTERING)
    inspected(brent, D(2018, 5, 14), OVERSIGHT)
    StatisticalNeighbour.objects.create(authority=authority, neighbour=other_authority, rank=1)
    return brent


def _row(html: str, theme: str) -> list[str]:
    row = html.split(f'<th scope="row" class="govuk-table__header">{theme}</th>')[1]
    row = row.split("</tr>")[0]
    return [cell.split(">", 1)[1].split("<")[0] for cell in row.split("<td")[1:]]


def test_themes_are_counted_nationally_among_neighbours_and_for_the_authority(
    client, outsider, authority, history
):
    client.force_login(outsider)
    html = main_content(client.get(reverse("dashboards:themes", args=[authority.pk])))
    # England (authorities), neighbours, North Somerset, not raised again at the next.
    assert _row(html, "Management oversight and supervision") == [
        "4 (3)",
        "2",
        "1",
        "1 of 2",
    ]
    assert _row(html, "Assessment quality") == ["2 (1)", "0", "2", "0 of 1"]
    assert _row(html, "Private fostering") == ["1 (1)", "0", "0", "1 of 1"]
    own = html[html.index('id="own"') :]
    assert own.index("13 March 2023") < own.index("12 June 2017")
    assert f"{OVERSIGHT} <strong" in own and "Management oversight and supervision</strong>" in own


def test_a_theme_lists_where_it_was_raised_and_not_raised_again_neighbours_first(
    client, outsider, authority, history
):
    client.force_login(outsider)
    url = reverse("dashboards:themes", args=[authority.pk])
    html = main_content(client.get(url, {"theme": "management_oversight"}))
    cases = html[html.index('id="cases"') : html.index('id="themes"')]
    assert "North Somerset" in cases and "June 2017" in cases and "March 2023" in cases
    assert "Gateshead" not in cases  # raised again in 2019
    html = main_content(client.get(url, {"theme": "private_fostering"}))
    cases = html[html.index('id="cases"') : html.index('id="themes"')]
    assert "Brent" in cases and "September 2015" in cases
    response = client.get(url, {"theme": "astrology"})
    assert "Choose a theme from the list" in response.content.decode()


@pytest.mark.parametrize("areas", [1, 12])
def test_the_themes_page_runs_the_same_queries_whatever_the_data_size(
    client, outsider, authority, history, django_assert_num_queries, areas
):
    for n in range(areas):
        extra = LocalAuthorityFactory(name=f"Extra {n}")
        inspected(extra, D(2016, 1, 4), *([ASSESSMENTS] * areas))
        inspected(extra, D(2020, 1, 6), OVERSIGHT)
    client.force_login(outsider)
    url = reverse("dashboards:themes", args=[authority.pk])
    # Built: 1 session, 2 user, 3 the authority, 4 the published stamp, 5-8 the national
    # picture (authorities, neighbours, judgements, graded inspections), 9 the areas for
    # improvement; 10-12 savepoint, session expiry pushed back, release.
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    # From the cache: 1 session, 2 user, 3 the authority, 4 the published stamp, 5-7 session.
    with django_assert_num_queries(7):
        again = client.get(url)
    assert main_content(again) == main_content(response)
