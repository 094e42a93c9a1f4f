"""Every report page runs a fixed number of queries, whatever the number of areas for
improvement, updates or reports. Counts are the page's own queries on top of what any signed-in
page costs (the session and the user, and saving the session), measured on the accessibility
statement, which runs no queries of its own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db

# Each page's own queries:
OWN_QUERIES = {
    # the report (with authority, inspection, finalised_by); its sections; later versions;
    # the user's role in the authority (for the edit buttons)
    "report_detail": 4,
    # the report; its sections
    "report_print": 2,
    # the report; the council's Word template; the sections
    "report_docx": 3,
    # the report; the sections
    "report_pdf": 2,
    # the report; the user's role (MANAGE)
    "report_edit": 2,
    # the report; the user's role; the section
    "section_edit": 3,
    # the report; the user's role; the sign-off (to warn of names left blank)
    "report_finalise": 3,
}


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.fixture
def base(client, manager) -> int:
    client.force_login(manager)
    client.get(reverse("accessibility"))  # the first request after sign-in may differ
    return _count(client, reverse("accessibility"))


@pytest.mark.parametrize("areas", [1, 12])
@pytest.mark.parametrize("name", sorted(OWN_QUERIES))
def test_report_pages_run_a_fixed_number_of_queries(client, manager, authority, base, name, areas):
    report = report_for(inspection_with_progress(authority, areas=areas, months=6), manager)
    url = reverse(f"reports:{name}", kwargs={"report_pk": report.pk})
    client.get(url)
    assert _count(client, url) == base + OWN_QUERIES[name]


@pytest.mark.parametrize("name", ["report_print", "report_pdf"])
def test_a_final_report_is_laid_out_from_its_snapshot_alone(client, manager, authority, base, name):
    report = report_for(inspection_with_progress(authority, areas=4), manager)
    services.report_finalise(report=report, expected_version=report.version, user=manager)
    url = reverse(f"reports:{name}", kwargs={"report_pk": report.pk})
    client.get(url)
    assert _count(client, url) == base + 1  # the report, whose stored content is the document


@pytest.mark.parametrize("reports", [1, 6])
def test_the_list_runs_a_fixed_number_of_queries(client, manager, authority, base, reports):
    inspection = inspection_with_progress(authority, areas=1, months=1)
    for _ in range(reports):
        report_for(inspection, manager)
    url = reverse("reports:report_list")
    client.get(url)
    # the user's authorities; their reports; the user's roles
    assert _count(client, url) == base + 3


@pytest.mark.parametrize("inspections", [1, 5])
def test_the_new_report_page_runs_a_fixed_number_of_queries(
    client, manager, authority, base, inspections
):
    for _ in range(inspections):
        inspection_with_progress(authority, areas=1, months=1)
    url = reverse("reports:report_create", kwargs={"authority_pk": authority.pk})
    client.get(url)
    # the authority; the user's role; the authority's inspections; the report profile (the
    # form's starting values); the form's radios count and list them
    assert _count(client, url) == base + 6


def test_drafting_a_report_reads_the_data_in_a_fixed_number_of_queries(manager, authority):
    from reports.selectors import report_source

    small = report_for(inspection_with_progress(authority, areas=1, months=1), manager)
    large = report_for(inspection_with_progress(authority, areas=12, months=12), manager)
    for report in (small, large):
        with CaptureQueriesContext(connection) as context:
            report_source(report=report)
        # improvement_plans.records.load as at the end of the period: authorities, frameworks,
        # judgement areas, inspections, when the authority published each report (as recorded
        # then), the inspection's areas, their updates, actions, the plan, the people named,
        # judgements.
        assert len(context.captured_queries) == 11


@pytest.mark.parametrize("saved", [False, True])
def test_the_profile_page_runs_a_fixed_number_of_queries(client, manager, authority, base, saved):
    from reports.models import ReportProfile
    from reports.profiles import new_profile

    if saved:
        profile = new_profile(authority)
        profile.sections.append({"key": "custom-1", "heading": "Own", "include": True, "body": ""})
        profile.save()
    url = reverse("reports:profile_edit", kwargs={"authority_pk": authority.pk})
    client.get(url)
    # the authority; the user's role; the profile
    assert _count(client, url) == base + 3
    assert ReportProfile.objects.count() == int(saved)
