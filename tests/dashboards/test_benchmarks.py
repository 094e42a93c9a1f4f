"""Councils like us (dashboards.benchmarks, dashboards.benchmark_page): the latest judgements
of an authority and its statistical neighbours side by side, trajectories since 2013 on the
common scale (on real reports), grades by year, who improved (on a constructed history whose
answers are known), the cache, and a fixed number of queries whatever the data size."""

import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import LocalAuthority, StatisticalNeighbour
from dashboards import benchmarks
from dashboards.benchmarks import HEADLINE, GradedInspection
from dashboards.models import PublishedVersion
from inspections.models import Inspection
from tests.dashboards.pages import main_content
from tests.factories import (
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    ProgressUpdateFactory,
    UserFactory,
    judgement_area,
)

pytestmark = pytest.mark.django_db

D = datetime.date
REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "ofsted-reports"
RI, GOOD, INADEQUATE, OUTSTANDING = "requires_improvement", "good", "inadequate", "outstanding"


def graded(authority, start, grades, event_type=None):
    inspection = InspectionFactory(
        authority=authority,
        start_date=start,
        event_type=event_type or ("sif" if start.year < 2018 else "standard"),
        report_url=f"https://reports.ofsted.gov.uk/{authority.pk}/{start:%Y%m%d}",
    )
    for code, grade in grades.items():
        JudgementFactory(inspection=inspection, area=judgement_area(inspection, code), grade=grade)
    return inspection


# ----- Who improved: a constructed history with known answers ----------------------------------


def _point(authority_id, start, **grades) -> GradedInspection:
    return GradedInspection(
        pk=hash((authority_id, start)) % 10_000,
        authority_id=authority_id,
        kind="Standard inspection",
        framework_code="ILACS-2018",
        start_date=start,
        published_date=None,
        report_url="",
        grades={HEADLINE if k == "headline" else k: v for k, v in grades.items()},
    )


HISTORY = {
    # Inadequate, then requires improvement, then good: one move, from the first inadequate.
    1: [
        _point(1, D(2015, 3, 2), headline=INADEQUATE),
        _point(1, D(2018, 9, 10), headline=RI),
        _point(1, D(2022, 1, 17), headline=GOOD),
    ],
    # Good, down to requires improvement, up to outstanding, down to inadequate: one move.
    2: [
        _point(2, D(2014, 6, 2), headline=GOOD),
        _point(2, D(2017, 6, 5), headline=RI),
        _point(2, D(2019, 6, 3), headline=OUTSTANDING),
        _point(2, D(2024, 2, 5), headline=INADEQUATE),
    ],
    # Never below good; never good: no moves.
    3: [_point(3, D(2016, 1, 4), headline=GOOD), _point(3, D(2021, 1, 4), headline=GOOD)],
    4: [_point(4, D(2016, 1, 4), headline=INADEQUATE), _point(4, D(2021, 1, 4), headline=RI)],
    # Out twice: two moves. Care leavers judged only at some inspections: their move skips the
    # inspection that did not judge it.
    5: [
        _point(5, D(2014, 1, 6), headline=RI, care_leavers=INADEQUATE),
        _point(5, D(2016, 1, 4), headline=GOOD),
        _point(5, D(2019, 3, 4), headline=RI),
        _point(5, D(2023, 3, 6), headline=GOOD, care_leavers=GOOD),
    ],
}


def test_who_improved_on_a_history_with_known_answers():
    found = benchmarks.improvements(HISTORY, HEADLINE)
    assert [
        (m.authority_id, m.start.start_date, m.end.start_date, m.path_text, m.took) for m in found
    ] == [
        (5, D(2019, 3, 4), D(2023, 3, 6), "Requires improvement to Good", "4 years"),
        (
            1,
            D(2015, 3, 2),
            D(2022, 1, 17),
            "Inadequate to Requires improvement to Good",
            "6 years and 10 months",
        ),
        (
            2,
            D(2017, 6, 5),
            D(2019, 6, 3),
            "Requires improvement to Outstanding",
            "1 year and 11 months",
        ),
        (5, D(2014, 1, 6), D(2016, 1, 4), "Requires improvement to Good", "1 year and 11 months"),
    ]
    assert found[1].from_grade == INADEQUATE and found[2].from_grade == RI
    (care_leavers,) = benchmarks.improvements(HISTORY, "care_leavers")
    assert (care_leavers.authority_id, care_leavers.path_text, care_leavers.took) == (
        5,
        "Inadequate to Good",
        "9 years and 2 months",
    )


def test_grades_by_year_count_each_authoritys_standing_grade_at_the_years_end():
    rows = dict(
        benchmarks.standing_grades_by_year(HISTORY, [1, 2, 3, 4, 5, 6], today=D(2024, 6, 30))
    )
    assert rows["2014"] == {None: 4, GOOD: 1, RI: 1}
    assert rows["2019"] == {RI: 2, OUTSTANDING: 1, GOOD: 1, INADEQUATE: 1, None: 1}
    assert rows["2024 (to 30 June)"] == {GOOD: 3, INADEQUATE: 1, RI: 1, None: 1}
    assert next(iter(rows)) == "2014" and len(rows) == 11


# ----- On real reports: Brent's trajectory and its moves ---------------------------------------


@pytest.fixture
def brent_from_its_reports(tmp_path):
    """Brent's three real reports (SIF 2015, ILACS 2018 and 2023), imported as the archive
    import reads them."""
    call_command("load_authorities", stdout=io.StringIO())
    for name in ("2015-11-30", "2018-07-02", "2023-04-11"):
        shutil.copy(REPORTS / f"brent_published-{name}.pdf", tmp_path / f"80489_brent_{name}.pdf")
    call_command("import_ofsted_archive", str(tmp_path), "--jobs", "1", stdout=io.StringIO())
    return LocalAuthority.objects.get(name="Brent")


def test_a_trajectory_on_real_reports_puts_sif_and_ilacs_on_one_scale(
    client, brent_from_its_reports
):
    brent = brent_from_its_reports
    history = benchmarks.graded_history([brent.pk])[brent.pk]
    assert [(i.start_date, i.framework_code, i.grades) for i in history] == [
        (
            D(2015, 9, 14),
            "SIF-2013",
            {
                HEADLINE: RI,
                "leaders": RI,
                "help_and_protection": RI,
                "children_in_care": RI,
                "care_leavers": RI,
            },
        ),
        (
            D(2018, 5, 14),
            "ILACS-2018",
            {
                HEADLINE: GOOD,
                "leaders": GOOD,
                "help_and_protection": RI,
                "children_in_care": OUTSTANDING,
                "care_leavers": OUTSTANDING,
            },
        ),
        (
            D(2023, 2, 20),
            "ILACS-2023",
            {
                HEADLINE: GOOD,
                "leaders": GOOD,
                "help_and_protection": GOOD,
                "children_in_care": GOOD,
                "care_leavers": GOOD,
            },
        ),
    ]
    # The page, read by someone with no role in Brent: the chart and its table.
    client.force_login(UserFactory(username="elsewhere"))
    page = client.get(reverse("dashboards:benchmark", args=[brent.pk])).content.decode()
    assert "Brent: overall effectiveness at each graded inspection since 2013" in page
    assert "14 September 2015" in page and "20 February 2023" in page
    assert "September 2015: Requires improvement; May 2018: Good; February 2023: Good." in page
    # Brent's moves out of requires improvement, each from its real reports.
    help_move = benchmarks.improvements({brent.pk: history}, "help_and_protection")
    assert [(m.path_text, m.took) for m in help_move] == [
        ("Requires improvement to Requires improvement to Good", "7 years and 5 months")
    ]
    (headline_move,) = benchmarks.improvements({brent.pk: history}, HEADLINE)
    assert (headline_move.path_text, headline_move.took) == (
        "Requires improvement to Good",
        "2 years and 8 months",
    )


# ----- The pages ---------------------------------------------------------------------------------


@pytest.fixture
def neighbourhood(authority, other_authority):
    """North Somerset with two neighbours: Gateshead (which got out of inadequate) and Brent."""
    graded(authority, D(2017, 6, 12), {"overall_effectiveness": RI})
    graded(
        authority,
        D(2023, 3, 13),
        {
            "overall_effectiveness": RI,
            "impact_of_leaders": GOOD,
            "help_and_protection": RI,
            "children_in_care": RI,
            "care_leavers": GOOD,
        },
    )
    graded(other_authority, D(2015, 10, 27), {"overall_effectiveness": INADEQUATE})
    graded(
        other_authority,
        D(2019, 4, 29),
        {"overall_effectiveness": GOOD, "children_in_care_and_care_leavers": GOOD},
    )
    brent = LocalAuthorityFactory(name="Brent", region="London", la_type="London Borough")
    graded(brent, D(2023, 2, 20), {"overall_effectiveness": OUTSTANDING}, "short")
    StatisticalNeighbour.objects.create(authority=authority, neighbour=other_authority, rank=1)
    StatisticalNeighbour.objects.create(authority=authority, neighbour=brent, rank=2)
    return authority


def test_the_benchmark_page_sets_the_neighbours_latest_judgements_side_by_side(
    client, viewer, neighbourhood
):
    client.force_login(viewer)
    html = main_content(client.get(reverse("dashboards:benchmark", args=[neighbourhood.pk])))
    table = html[html.index('id="latest"') : html.index('id="trajectories"')]
    rows = table.split('<tr class="govuk-table__row">')[2:]
    assert [row.split("</a>")[0].rsplit(">", 1)[1] for row in rows] == [
        "North Somerset",
        "Gateshead",
        "Brent",
    ]
    assert "Standard inspection, March 2023" in rows[0]
    assert rows[0].count("Requires improvement to be good") == 3
    assert (
        rows[1].count(">Good<") == 3
    )  # 2018's one judgement for children in care and care leavers
    assert "Outstanding" in rows[2] and rows[2].count("Not judged") == 4
    assert "England, 3 authorities:" in html and "South West, 1 authority:" in html


def test_who_improved_lists_the_neighbours_first_with_dates_time_taken_and_reports(
    client, viewer, neighbourhood, other_authority
):
    client.force_login(viewer)
    url = reverse("dashboards:improved", args=[neighbourhood.pk])
    html = main_content(client.get(url))
    neighbours = html[html.index('id="neighbours"') : html.index('id="same-type"')]
    assert "Gateshead" in neighbours and "Inadequate to Good" in neighbours
    assert "27 October 2015" in neighbours and "29 April 2019" in neighbours
    assert "3 years and 6 months" in neighbours
    assert f"https://reports.ofsted.gov.uk/{other_authority.pk}/20190429" in neighbours
    # Care leavers: Gateshead was not judged on them before 2019, so no move.
    html = main_content(client.get(url, {"judgement": "care_leavers"}))
    assert "Care leavers: 0 moves" in html
    response = client.get(url, {"judgement": "nonsense"})
    assert "Choose a judgement from the list" in response.content.decode()


def test_a_new_judgement_anywhere_shows_at_once(client, viewer, neighbourhood, other_authority):
    client.force_login(viewer)
    url = reverse("dashboards:benchmark", args=[neighbourhood.pk])
    assert "Inadequate" not in main_content(client.get(url)).split('id="trajectories"')[0]
    graded(other_authority, D(2024, 9, 2), {"overall_effectiveness": INADEQUATE})
    latest = main_content(client.get(url)).split('id="trajectories"')[0]
    assert "Standard inspection, September 2024" in latest and "Inadequate" in latest


def test_a_refreshed_neighbour_list_shows_at_once(client, viewer, neighbourhood):
    client.force_login(viewer)
    url = reverse("dashboards:benchmark", args=[neighbourhood.pk])
    assert "Brent" in main_content(client.get(url))
    StatisticalNeighbour.objects.filter(neighbour__name="Brent").delete()
    assert "Brent" not in main_content(client.get(url))


def test_only_what_ofsted_published_restamps_the_comparison_pages(neighbourhood, officer):
    def stamp():
        return PublishedVersion.objects.values_list("version", flat=True).first()

    inspection = Inspection.objects.filter(authority=neighbourhood).first()
    finding = FindingFactory(inspection=inspection, lead=officer)
    before = stamp()
    assert before is not None
    plan = ImprovementPlanFactory(inspection=inspection)
    ProgressUpdateFactory(area_for_improvement=finding, author=officer)
    plan.notes = "Reviewed by the board"
    plan.save()
    assert stamp() == before  # the authority's own data
    JudgementFactory(inspection=InspectionFactory(authority=neighbourhood), grade=GOOD)
    assert stamp() != before


def _grow(authorities: int, inspections: int):
    for n in range(authorities):
        la = LocalAuthorityFactory(name=f"Extra {n}")
        for year in range(inspections):
            graded(la, D(2014 + 3 * year, 5, 12), {"overall_effectiveness": RI})


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.parametrize("name", ["dashboards:benchmark", "dashboards:improved"])
def test_the_comparison_pages_run_the_same_queries_whatever_the_data_size(
    client, outsider, neighbourhood, django_assert_num_queries, size, name
):
    _grow(2, 1) if size == "small" else _grow(30, 4)
    client.force_login(outsider)
    url = reverse(name, args=[neighbourhood.pk])
    # Built: 1 session, 2 user, 3 the authority, 4 the published stamp, then the national
    # picture: 5 the authorities, 6 their neighbours, 7 judgements, 8 graded inspections;
    # 9-11 savepoint, session expiry pushed back, release.
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.status_code == 200
    # From the cache: 1 session, 2 user, 3 the authority, 4 the published stamp, 5-7 the session.
    with django_assert_num_queries(7):
        again = client.get(url)
    assert main_content(again) == main_content(response)


def test_warm_dashboards_builds_every_benchmark_page_ahead_of_its_first_viewer(
    client, outsider, neighbourhood, django_assert_num_queries
):
    out = io.StringIO()
    call_command("warm_dashboards", stdout=out)
    assert f"benchmark page: {LocalAuthority.objects.count()}," in out.getvalue()
    client.force_login(outsider)
    # 1 session, 2 user, 3 the authority, 4 the published stamp, 5-7 the session.
    with django_assert_num_queries(7):
        response = client.get(reverse("dashboards:benchmark", args=[neighbourhood.pk]))
    assert "North Somerset compared with councils like it" in response.content.decode()
