"""The authority page and recording inspections, judgements and findings, through real URLs."""

import datetime
import re

import pytest
from django.urls import reverse

from inspections.models import Finding, FindingKind, Inspection, Judgement, JudgementArea
from tests.factories import (
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    ProgressUpdateFactory,
    judgement_area,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def date_fields(name: str, day: D | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def inspection_post(**overrides) -> dict:
    data = {
        "event_type": "standard",
        **date_fields("start_date", D(2023, 3, 13)),
        **date_fields("end_date", D(2023, 3, 24)),
        **date_fields("published_date", D(2023, 5, 11)),
        "lead_inspector": "Anna Gravelle",
        "report_url": "https://files.ofsted.gov.uk/v1/file/50216275",
        "summary": "",
    }
    data.update(overrides)
    return data


# --- The authority page -------------------------------------------------------------------------


def test_the_authority_page_shows_timeline_judgements_window_and_open_areas(
    client, viewer, authority
):
    short = InspectionFactory(
        authority=authority,
        event_type="short",
        start_date=D(2019, 4, 29),
        end_date=D(2019, 5, 3),
        published_date=D(2019, 6, 11),
    )
    for code in ("impact_of_leaders", "help_and_protection", "overall_effectiveness"):
        JudgementFactory(inspection=short, area=judgement_area(short, code), grade="good")
    JudgementFactory(
        inspection=short,
        area=judgement_area(short, "children_in_care_and_care_leavers"),
        grade="outstanding",
    )
    open_area = FindingFactory(inspection=short, title="Management oversight of decisions")
    done = FindingFactory(inspection=short, title="Case recording in the disabled team")
    ProgressUpdateFactory(area_for_improvement=done, rag="complete", status="approved")
    FindingFactory(inspection=short, kind=FindingKind.STRENGTH, title="Stable workforce")
    InspectionFactory(
        authority=authority,
        event_type="focused_visit",
        start_date=D(2020, 11, 2),
        end_date=D(2020, 11, 3),
    )
    client.force_login(viewer)
    response = client.get(reverse("improvement_plans:authority_detail", args=[authority.pk]))
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "Focused visit" in html and "Short inspection" in html
    assert '<strong class="govuk-tag govuk-tag--blue">Outstanding</strong>' in html
    assert (
        "usually between 6 months before and 6 months after the 3-year anniversary of the short "
        "inspection that started 29 April 2019" in html
    )
    # Seen after the window: no graded inspection since, so it says so.
    assert "the window closed on 29 October 2022; no inspection recorded since." in html
    assert open_area.title in html
    assert done.title not in html  # its latest approved update says complete
    assert "Stable workforce" not in html  # strengths are not areas to act on
    assert "Record an inspection" not in html  # viewers cannot record


def test_the_authority_page_lists_upcoming_deadlines_in_working_days(
    client, administrator, authority
):
    today = datetime.date.today()
    inspection = InspectionFactory(
        authority=authority,
        start_date=today - datetime.timedelta(days=40),
        end_date=today - datetime.timedelta(days=30),
        published_date=today - datetime.timedelta(days=1),
    )
    client.force_login(administrator)
    html = client.get(reverse("improvement_plans:authority_detail", args=[authority.pk])).content
    html = html.decode()
    assert "Send the action plan to Ofsted" in html
    assert "70 working days after the report was published" in html
    assert re.search(r"Send the action plan to Ofsted.*?>Due</strong>", html, re.S)
    ImprovementPlanFactory(inspection=inspection, submitted_on=today)
    met = f">Met on {today.day} {today:%B %Y}</strong>"
    html = client.get(reverse("improvement_plans:authority_detail", args=[authority.pk])).content
    assert re.search(rf"Send the action plan to Ofsted.*?{met}", html.decode(), re.S)
    detail = client.get(reverse("improvement_plans:inspection_detail", args=[inspection.pk]))
    assert re.search(rf"Send the action plan to Ofsted.*?{met}", detail.content.decode(), re.S)


def _authority_with_history(authority, n: int, first_year: int = 2014) -> None:
    for year in range(first_year, first_year + n):
        inspection = InspectionFactory(
            authority=authority,
            start_date=D(year, 3, 3),
            end_date=D(year, 3, 14),
            published_date=D(year, 5, 1),
            event_type="sif" if year < 2018 else "standard",
        )
        JudgementFactory(
            inspection=inspection, area=judgement_area(inspection, "overall_effectiveness")
        )
        JudgementFactory(
            inspection=inspection,
            area=judgement_area(inspection, "help_and_protection"),
            grade="good",
        )
        for _ in range(3):
            finding = FindingFactory(inspection=inspection)
            ProgressUpdateFactory(area_for_improvement=finding)
        ImprovementPlanFactory(inspection=inspection)
        InspectionFactory(
            authority=authority,
            event_type="monitoring_visit",
            start_date=D(year, 9, 3),
            end_date=D(year, 9, 4),
        )


def test_the_authority_page_runs_a_fixed_number_of_queries(client, viewer, authority):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(viewer)
    url = reverse("improvement_plans:authority_detail", args=[authority.pk])
    counts = []
    for more in (1, 5):
        _authority_with_history(authority, more, first_year=2014 + sum([1, 5][: len(counts)]))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    # 1 session, 2 user, 3 the authority through the viewer's memberships, 4 inspections with
    # framework, 5 judgements with area, 6 finding counts per inspection and kind, 7-12 the
    # current areas and their progress (improvement_plans.records.load without detail:
    # authorities, frameworks, judgement areas, inspections, areas, updates), 13 improvement
    # plans, 14 the viewer's role (may they record inspections?), 15-17 the session's idle expiry
    # pushed back (savepoint, update, release: SESSION_SAVE_EVERY_REQUEST).
    assert counts == [17, 17], "\n".join(q["sql"] for q in captured.captured_queries)


# --- Recording an inspection --------------------------------------------------------------------


def test_an_administrator_records_an_inspection_under_the_framework_of_its_start_date(
    client, administrator, authority
):
    client.force_login(administrator)
    response = client.post(
        reverse("inspections:inspection_create", args=[authority.pk]), inspection_post()
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "improvement_plans:inspection_detail", args=[inspection.pk]
    )
    assert inspection.framework.code == "ILACS-2023"
    assert inspection.authority == authority
    assert inspection.history.get().history_user == administrator


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (date_fields("start_date", None), "start_date", "Enter the date the inspection started"),
        (
            {"start_date_0": "31", "start_date_1": "2", "start_date_2": "2023"},
            "start_date",
            "The date the inspection started must be a real date",
        ),
        (
            date_fields("end_date", D(2023, 3, 1)),
            "end_date",
            "The end date must be the same as or after the start date",
        ),
        (
            date_fields("published_date", D(2023, 3, 1)),
            "published_date",
            "The publication date must be on or after the start date",
        ),
        (
            {
                **date_fields("start_date", D(2012, 3, 1)),
                **date_fields("end_date", D(2012, 3, 2)),
                **date_fields("published_date", None),
            },
            "start_date",
            "No inspection framework was in force on 1 March 2012",
        ),
        ({"event_type": "sif"}, "event_type", "SIF inspections ended in 2017"),
        ({"event_type": ""}, "event_type", "Select the type of inspection or visit"),
        ({"report_url": "not a link"}, "report_url", "Enter the report link as a full web address"),
    ],
)
def test_bad_input_gets_a_specific_error_and_saves_nothing(
    client, administrator, authority, overrides, field, message
):
    client.force_login(administrator)
    response = client.post(
        reverse("inspections:inspection_create", args=[authority.pk]),
        inspection_post(**overrides),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    assert "<title>Error: " in html and "There is a problem" in html
    assert Inspection.objects.count() == 0


@pytest.mark.parametrize("user", ["officer", "manager", "viewer"])
def test_only_administrators_record_inspections(client, request, authority, user):
    client.force_login(request.getfixturevalue(user))
    url = reverse("inspections:inspection_create", args=[authority.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, inspection_post()).status_code == 403
    assert Inspection.objects.count() == 0


def test_another_authoritys_pages_are_not_found(client, outsider, authority):
    inspection = InspectionFactory(authority=authority)
    finding = FindingFactory(inspection=inspection)
    client.force_login(outsider)
    for url in (
        reverse("improvement_plans:authority_detail", args=[authority.pk]),
        reverse("improvement_plans:inspection_detail", args=[inspection.pk]),
        reverse("inspections:judgements_edit", args=[inspection.pk]),
        reverse("inspections:finding_edit", args=[finding.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_signed_out_people_are_sent_to_sign_in(client, authority):
    response = client.get(reverse("improvement_plans:authority_detail", args=[authority.pk]))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_two_administrators_editing_one_inspection_never_overwrite_each_other(
    client, administrator, authority
):
    inspection = InspectionFactory(authority=authority)
    client.force_login(administrator)
    url = reverse("inspections:inspection_edit", args=[inspection.pk])
    first = client.post(url, inspection_post(lead_inspector="First Person", version=1))
    assert first.status_code == 302
    second = client.post(url, inspection_post(lead_inspector="Second Person", version=1))
    assert second.status_code == 200
    page = second.content.decode()
    assert "after you opened it" in page
    inspection.refresh_from_db()
    assert (inspection.lead_inspector, inspection.version) == ("First Person", 2)
    # Their version is shown field by field; the second person's text stays in the form, which
    # now carries the stored version, so saving again (having read theirs) goes through.
    assert "Their version" in page and "First Person" in page and "Second Person" in page
    form = second.context["form"]
    assert form["version"].value() == "2"
    again = client.post(url, inspection_post(lead_inspector="Second Person", version=2))
    assert again.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.lead_inspector, inspection.version) == ("Second Person", 3)


# --- Judgements ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "codes"),
    [
        (
            D(2016, 1, 11),
            [
                "overall_effectiveness",
                "help_and_protection",
                "looked_after_and_permanence",
                "adoption_performance",
                "care_leavers",
                "leadership_management_governance",
                "lscb",
            ],
        ),
        (
            D(2019, 4, 29),
            [
                "impact_of_leaders",
                "help_and_protection",
                "children_in_care_and_care_leavers",
                "overall_effectiveness",
            ],
        ),
        (
            D(2023, 3, 13),
            [
                "impact_of_leaders",
                "help_and_protection",
                "children_in_care",
                "care_leavers",
                "overall_effectiveness",
            ],
        ),
        (
            D(2026, 4, 27),
            ["impact_of_leaders", "help_and_protection", "children_in_care", "care_leavers"],
        ),
    ],
)
def test_the_judgement_form_offers_exactly_the_frameworks_areas(
    client, administrator, authority, start, codes
):
    inspection = InspectionFactory(
        authority=authority,
        event_type="sif" if start.year < 2018 else "short",
        start_date=start,
        end_date=start + datetime.timedelta(days=4),
    )
    client.force_login(administrator)
    html = client.get(reverse("inspections:judgements_edit", args=[inspection.pk])).content
    names = list(dict.fromkeys(re.findall(r'name="area_([a-z_]+)"', html.decode())))
    assert names == codes
    # Each offers the four-point scale (and "not judged").
    assert set(
        re.findall(
            r'value="(outstanding|good|requires_improvement|inadequate|not_judged)"', html.decode()
        )
    ) == {"outstanding", "good", "requires_improvement", "inadequate", "not_judged"}


def test_saving_judgements_creates_changes_and_removes_them_with_history(
    client, administrator, authority
):
    inspection = InspectionFactory(authority=authority, start_date=D(2023, 3, 13))
    JudgementFactory(
        inspection=inspection, area=judgement_area(inspection, "care_leavers"), grade="good"
    )
    client.force_login(administrator)
    url = reverse("inspections:judgements_edit", args=[inspection.pk])
    response = client.post(
        url,
        {
            "area_impact_of_leaders": "requires_improvement",
            "area_help_and_protection": "requires_improvement",
            "area_children_in_care": "requires_improvement",
            "area_care_leavers": "not_judged",
            "area_overall_effectiveness": "requires_improvement",
            "version": 1,
        },
    )
    assert response.status_code == 302
    assert dict(inspection.judgements.values_list("area__code", "grade")) == {
        "impact_of_leaders": "requires_improvement",
        "help_and_protection": "requires_improvement",
        "children_in_care": "requires_improvement",
        "overall_effectiveness": "requires_improvement",
    }
    assert Judgement.history.filter(history_type="-").get().history_user == administrator


def test_a_missing_judgement_is_an_error_naming_the_area_and_saves_nothing(
    client, administrator, authority
):
    inspection = InspectionFactory(authority=authority, start_date=D(2023, 3, 13))
    client.force_login(administrator)
    response = client.post(
        reverse("inspections:judgements_edit", args=[inspection.pk]),
        {"area_impact_of_leaders": "good", "area_help_and_protection": "bogus", "version": 1},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["area_children_in_care"] == [
        "Select the grade for children in care, or ‘Not judged in this report’"
    ]
    assert "area_help_and_protection" in errors
    assert Judgement.objects.count() == 0


def test_a_visit_has_no_judgement_form(client, administrator, authority):
    visit = InspectionFactory(authority=authority, event_type="focused_visit")
    client.force_login(administrator)
    response = client.get(reverse("inspections:judgements_edit", args=[visit.pk]))
    assert response.status_code == 302


# --- Findings -----------------------------------------------------------------------------------

PASTED = """What needs to improve?
\u2022 The compliance with private fostering regulations and the senior management
oversight, performance management information and quality assurance of these
arrangements. (Outcome 3)
\u2022 The attendance of children in care at their reviews and the quality of
information provided to children following their reviews.
\u2022 Care leavers\u2019 understanding of and access to their health histories.
\u2022 The consistency of management supervision and recording. (Enabler 1)
"""


def test_pasting_a_list_creates_one_area_for_improvement_per_bullet(
    client, administrator, authority
):
    inspection = InspectionFactory(authority=authority)
    FindingFactory(inspection=inspection, order=0, title="Already there")
    client.force_login(administrator)
    response = client.post(
        reverse("inspections:findings_paste", args=[inspection.pk]),
        {"kind": "area_for_improvement", "pasted": PASTED},
    )
    assert response.status_code == 302
    added = list(
        Finding.objects.filter(inspection=inspection)
        .exclude(title="Already there")
        .order_by("order")
    )
    assert [f.text for f in added] == [
        "The compliance with private fostering regulations and the senior management oversight, "
        "performance management information and quality assurance of these arrangements.",
        "The attendance of children in care at their reviews and the quality of information "
        "provided to children following their reviews.",
        "Care leavers\u2019 understanding of and access to their health histories.",
        "The consistency of management supervision and recording.",
    ]
    assert [f.national_framework_tag for f in added] == ["Outcome 3", "", "", "Enabler 1"]
    assert [f.order for f in added] == [1, 2, 3, 4]
    assert (
        added[2].title == "Care leavers\u2019 understanding of and access to their health histories"
    )
    assert all(f.history.get().history_user == administrator for f in added)


def test_pasting_nothing_useful_is_an_error(client, administrator, authority):
    inspection = InspectionFactory(authority=authority)
    client.force_login(administrator)
    response = client.post(
        reverse("inspections:findings_paste", args=[inspection.pk]),
        {"kind": "area_for_improvement", "pasted": "What needs to improve?\n\n"},
    )
    assert response.context["form"].errors["pasted"] == [
        "The pasted text has no points in it: paste the list itself"
    ]
    assert Finding.objects.count() == 0


def test_priority_actions_are_only_offered_for_visits(client, administrator, authority):
    inspection = InspectionFactory(authority=authority)
    visit = InspectionFactory(authority=authority, event_type="focused_visit")
    client.force_login(administrator)
    assert (
        b'value="priority_action"'
        not in client.get(reverse("inspections:finding_create", args=[inspection.pk])).content
    )
    assert (
        b'value="priority_action"'
        in client.get(reverse("inspections:finding_create", args=[visit.pk])).content
    )


def test_an_area_for_improvement_links_to_the_same_weakness_earlier(
    client, administrator, authority, other_authority
):
    earlier = InspectionFactory(
        authority=authority, start_date=D(2019, 4, 29), end_date=D(2019, 5, 3)
    )
    predecessor = FindingFactory(inspection=earlier, title="Management oversight")
    elsewhere = FindingFactory(
        inspection=InspectionFactory(
            authority=other_authority, start_date=D(2019, 4, 29), end_date=D(2019, 5, 3)
        )
    )
    inspection = InspectionFactory(authority=authority)
    client.force_login(administrator)
    url = reverse("inspections:finding_create", args=[inspection.pk])
    html = client.get(url).content.decode()
    assert "April 2019: Management oversight" in html
    assert elsewhere.title not in html  # only the same authority's earlier findings are offered
    data = {
        "kind": "area_for_improvement",
        "text": "The quality of management oversight, including supervision.",
        "title": "",
        "judgement_area": judgement_area(inspection, "impact_of_leaders").pk,
        "national_framework_tag": "Enabler 2",
        "predecessor": predecessor.pk,
    }
    refused = client.post(url, {**data, "predecessor": elsewhere.pk})
    assert refused.context["form"].errors["predecessor"] == [
        "Choose an area for improvement of this authority from an earlier inspection"
    ]
    response = client.post(url, data)
    assert response.status_code == 302
    finding = Finding.objects.get(inspection=inspection)
    assert finding.predecessor == predecessor
    assert finding.title == "The quality of management oversight, including supervision"
    detail = client.get(reverse("improvement_plans:inspection_detail", args=[inspection.pk]))
    assert "Follows on from “Management oversight” (April 2019)" in detail.content.decode()


def test_findings_are_reordered_with_move_buttons(client, administrator, authority):
    inspection = InspectionFactory(authority=authority)
    first, _second, third = (
        FindingFactory(inspection=inspection, order=order, title=title)
        for order, title in enumerate(["First", "Second", "Third"])
    )
    client.force_login(administrator)
    response = client.post(
        reverse("inspections:finding_move", args=[third.pk]), {"direction": "up"}
    )
    assert response.status_code == 302
    order = list(
        Finding.objects.filter(inspection=inspection)
        .order_by("order")
        .values_list("title", flat=True)
    )
    assert order == ["First", "Third", "Second"]
    client.post(reverse("inspections:finding_move", args=[first.pk]), {"direction": "up"})
    assert Finding.objects.get(pk=first.pk).order == 0  # already first: nothing moves
    assert client.get(reverse("inspections:finding_move", args=[first.pk])).status_code == 405


def test_editing_a_finding_refuses_a_stale_version(client, administrator, authority):
    finding = FindingFactory(inspection=InspectionFactory(authority=authority))
    client.force_login(administrator)
    url = reverse("inspections:finding_edit", args=[finding.pk])
    data = {
        "kind": "area_for_improvement",
        "text": "New text.",
        "title": "New",
        "judgement_area": "",
        "national_framework_tag": "",
        "predecessor": "",
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "text": "Other text."})
    assert "after you opened it" in stale.content.decode()
    finding.refresh_from_db()
    assert (finding.text, finding.version) == ("New text.", 2)


def test_viewers_see_findings_but_not_the_controls(client, viewer, authority):
    inspection = InspectionFactory(authority=authority)
    FindingFactory(inspection=inspection, title="Visible")
    client.force_login(viewer)
    html = client.get(reverse("improvement_plans:inspection_detail", args=[inspection.pk])).content
    assert b"Visible" in html and b"Move down" not in html and b"Add a finding" not in html
    finding = Finding.objects.get()
    assert (
        client.post(
            reverse("inspections:finding_move", args=[finding.pk]), {"direction": "up"}
        ).status_code
        == 403
    )


def test_judgement_areas_are_data(authority):
    # The form is built from the rows, so a new framework needs no code.
    assert JudgementArea.objects.filter(framework__code="ILACS-2026").count() == 4


def test_a_graded_inspection_with_judgements_cannot_become_a_visit(
    client, administrator, authority
):
    inspection = InspectionFactory(authority=authority)
    JudgementFactory(
        inspection=inspection, area=judgement_area(inspection, "overall_effectiveness")
    )
    client.force_login(administrator)
    response = client.post(
        reverse("inspections:inspection_edit", args=[inspection.pk]),
        inspection_post(event_type="focused_visit", version=1),
    )
    assert response.status_code == 200
    assert "has no judgements" in response.context["form"].errors["event_type"][0]
    inspection.refresh_from_db()
    assert (inspection.event_type, inspection.version) == ("standard", 1)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # 1 session, 2 user, 3 inspection with authority and framework, 4 judgements with area,
        # 5 findings with judgement area and predecessor, 6 improvement plan (is the plan
        # deadline met?), 7-9 session save.
        ("improvement_plans:inspection_detail", 9),
        # 1 session, 2 user, 3 inspection, 4 judgement areas (the form's queryset), 5 earlier
        # areas for improvement (the predecessor choices), 6-8 session save.
        ("inspections:finding_create", 8),
        # 1 session, 2 user, 3 inspection, 4 framework areas with parent, 5 current grades,
        # 6-8 session save.
        ("inspections:judgements_edit", 8),
    ],
)
def test_inspection_pages_run_a_fixed_number_of_queries(
    client, administrator, authority, name, expected
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    inspection = InspectionFactory(authority=authority)
    client.force_login(administrator)
    counts = []
    for year in (2019, 2020):
        earlier = InspectionFactory(
            authority=authority, start_date=D(year, 3, 4), end_date=D(year, 3, 8)
        )
        for _ in range(4):
            FindingFactory(inspection=earlier)
            FindingFactory(inspection=inspection, predecessor=FindingFactory(inspection=earlier))
        code = "overall_effectiveness" if year == 2019 else "care_leavers"
        JudgementFactory(inspection=inspection, area=judgement_area(inspection, code))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name, args=[inspection.pk])).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts == [expected, expected], "\n".join(q["sql"] for q in captured.captured_queries)


def test_two_administrators_grading_at_once_never_overwrite_each_other(
    client, administrator, authority
):
    inspection = InspectionFactory(authority=authority, start_date=D(2023, 3, 13))
    client.force_login(administrator)
    url = reverse("inspections:judgements_edit", args=[inspection.pk])
    grades = {
        f"area_{code}": "good"
        for code in (
            "impact_of_leaders",
            "help_and_protection",
            "children_in_care",
            "care_leavers",
            "overall_effectiveness",
        )
    }
    assert client.post(url, {**grades, "version": 1}).status_code == 302
    stale = client.post(url, {**grades, "area_overall_effectiveness": "inadequate", "version": 1})
    assert stale.status_code == 200
    html = stale.content.decode()
    assert "after you opened it" in html and "Overall effectiveness: Good" in html
    assert inspection.judgements.get(area__code="overall_effectiveness").grade == "good"
    # Saving the same grades again changes nothing, so the version stays.
    assert client.post(url, {**grades, "version": 2}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.version == 2


def test_an_action_plan_not_sent_by_its_deadline_shows_as_overdue(client, viewer, authority):
    today = datetime.date.today()
    old = InspectionFactory(
        authority=authority,
        start_date=today - datetime.timedelta(days=2000),
        end_date=today - datetime.timedelta(days=1990),
        published_date=today - datetime.timedelta(days=1950),
    )
    JudgementFactory(inspection=old, area=judgement_area(old, "overall_effectiveness"))
    latest = InspectionFactory(
        authority=authority,
        start_date=today - datetime.timedelta(days=300),
        end_date=today - datetime.timedelta(days=290),
        published_date=today - datetime.timedelta(days=250),
    )
    JudgementFactory(inspection=latest, area=judgement_area(latest, "overall_effectiveness"))
    client.force_login(viewer)
    html = client.get(reverse("improvement_plans:authority_detail", args=[authority.pk])).content
    html = " ".join(html.decode().split())
    # Only the latest inspection's deadlines: neither the report's publication nor the plan is
    # recorded, so both are missed; the earlier inspection's are no longer shown.
    assert html.count('govuk-tag--red">Missed</strong>') == 2
    assert "Send the action plan to Ofsted" in html and "Publish the report" in html
    assert f"{old.start_date.day} {old.start_date:%B %Y}" not in html
