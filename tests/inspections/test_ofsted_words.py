"""Ofsted's own words: the summary, the report's web address, and what the report says about each
judgement area (strengths, what needs to improve). Kept by the report import and its review form,
editable by hand with their history, and shown on the inspection page as plain text."""

import datetime
import html as html_module
import re

import pytest
from django.urls import reverse

from inspections import importers
from inspections.models import Inspection, Judgement
from inspections.ofsted_report import ParsedReport
from tests.factories import InspectionFactory, JudgementFactory, judgement_area
from tests.inspections.test_recording import date_fields, inspection_post

pytestmark = pytest.mark.django_db

D = datetime.date
ILACS_2023 = (
    "impact_of_leaders",
    "help_and_protection",
    "children_in_care",
    "care_leavers",
    "overall_effectiveness",
)


@pytest.fixture
def north_somerset(authority):
    return authority  # conftest's authority, North Somerset, which `viewer` belongs to


def parsed_report(**overrides) -> ParsedReport:
    fields = {
        "authority": "North Somerset Council",
        "framework": "ILACS-2023",
        "inspection_type": "standard",
        "start_date": D(2023, 3, 13),
        "end_date": D(2023, 3, 24),
        "published_date": D(2023, 5, 11),
        "lead_inspector": "Anna Gravelle",
        "judgements": {code: "requires_improvement" for code in ILACS_2023},
        "areas_for_improvement": ["The quality of plans."],
        "summary": "Services have improved since 2019.\n\nLeaders know their <b>strengths</b>.",
        "web_address": "https://files.ofsted.gov.uk/v1/file/50216275",
        "judgement_area_texts": {
            "help_and_protection": {
                "strengths": "Children are seen quickly.\nThresholds are understood.",
                "to_improve": "Plans are too general <script>alert(1)</script>.",
            },
            "care_leavers": {
                "strengths": "Personal advisers know young people well.",
                "to_improve": "",
            },
        },
    }
    return ParsedReport(**{**fields, **overrides})


def test_a_report_import_keeps_ofsted_words_and_the_page_shows_them_as_text(
    client, viewer, north_somerset
):
    inspection = importers.report_import(parsed=parsed_report(), user=None)

    assert inspection.summary.startswith("Services have improved since 2019.\n\nLeaders")
    assert inspection.report_url == "https://files.ofsted.gov.uk/v1/file/50216275"
    help_and_protection = inspection.judgements.get(area__code="help_and_protection")
    assert help_and_protection.strengths == "Children are seen quickly.\nThresholds are understood."
    assert help_and_protection.to_improve.startswith("Plans are too general")
    care_leavers = inspection.judgements.get(area__code="care_leavers")
    assert (care_leavers.strengths, care_leavers.to_improve) == (
        "Personal advisers know young people well.",
        "",
    )
    assert inspection.judgements.get(area__code="impact_of_leaders").strengths == ""
    assert Judgement.history.filter(strengths__startswith="Children are seen").exists()

    client.force_login(viewer)  # published words: anyone who may see the authority reads them
    html = client.get(reverse("improvement_plans:inspection_detail", args=[inspection.pk])).content
    html = html.decode()
    assert "Ofsted's summary" in html_module.unescape(html)
    # Paragraphs stay paragraphs; what looks like markup is shown, never run.
    assert '<p class="govuk-body">Services have improved since 2019.</p>' in html
    assert "Leaders know their &lt;b&gt;strengths&lt;/b&gt;." in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Children are seen quickly.<br>Thresholds are understood." in html
    assert html.count('<details class="govuk-details') == 3  # the summary and two areas
    assert 'href="https://files.ofsted.gov.uk/v1/file/50216275"' in html


def test_a_misread_web_address_is_dropped_not_a_reason_to_refuse_the_report(north_somerset):
    inspection = importers.report_import(
        parsed=parsed_report(web_address="files.ofsted.gov.uk/v1/file/5021 6275"), user=None
    )
    assert inspection.report_url == ""
    assert inspection.judgements.count() == 5


def test_a_report_without_words_is_imported_as_before(client, viewer, north_somerset):
    inspection = importers.report_import(
        parsed=parsed_report(summary="", web_address="", judgement_area_texts={}), user=None
    )
    assert (inspection.summary, inspection.report_url) == ("", "")
    client.force_login(viewer)
    html = client.get(reverse("improvement_plans:inspection_detail", args=[inspection.pk])).content
    assert b"govuk-details" not in html


# --- The upload page's review form ---------------------------------------------------------------


def review_post(form) -> dict:
    """What a person's browser posts back from the review form, unchanged."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name.endswith("_date"):
            data.update(date_fields(name, value))
        else:
            data[name] = "" if value is None else value
    return data


def test_the_review_form_shows_the_words_and_saves_them_as_corrected(
    client, administrator, north_somerset
):
    form = importers.review_form_for(parsed_report())
    assert form.initial["summary"].startswith("Services have improved")
    assert form.initial["report_url"] == "https://files.ofsted.gov.uk/v1/file/50216275"
    assert form.initial["strengths_help_and_protection"].startswith("Children are seen")
    assert form.initial["to_improve_care_leavers"] == ""
    client.force_login(administrator)
    data = review_post(form)
    data["to_improve_care_leavers"] = "Too few care leavers are in education.\r\n\r\nOr work."
    response = client.post(reverse("inspections:report_import_confirm"), data)
    assert response.status_code == 302, response.context["form"].errors
    inspection = Inspection.objects.get()
    assert inspection.summary.startswith("Services have improved")
    assert inspection.report_url == "https://files.ofsted.gov.uk/v1/file/50216275"
    care_leavers = inspection.judgements.get(area__code="care_leavers")
    assert care_leavers.to_improve == "Too few care leavers are in education.\n\nOr work."
    assert inspection.judgements.get(area__code="help_and_protection").to_improve.startswith(
        "Plans are too general"
    )


def test_words_about_an_area_marked_not_judged_are_an_error_and_nothing_is_saved(
    client, administrator, north_somerset
):
    client.force_login(administrator)
    data = review_post(importers.review_form_for(parsed_report()))
    data["area_help_and_protection"] = "not_judged"
    response = client.post(reverse("inspections:report_import_confirm"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["strengths_help_and_protection"] == [
        "Select the grade for help and protection to keep what the report says about it, or "
        "remove the text"
    ]
    assert "There is a problem" in response.content.decode()
    assert not Inspection.objects.exists()


def test_the_review_page_labels_each_areas_words(client, administrator, north_somerset):
    from django.template.loader import render_to_string

    html = render_to_string(
        "inspections/report_review.html",
        {"form": importers.review_form_for(parsed_report()), "parsed": parsed_report()},
    )
    assert "What the report says about help and protection" in html
    assert html_module.unescape(html).count("Ofsted's findings (optional)") == 5
    assert html.count("What needs to improve (optional)") == 5
    assert "Ofsted's summary (optional)" in html_module.unescape(html)


# --- By hand -------------------------------------------------------------------------------------


def test_the_summary_is_recorded_and_changed_by_hand_with_its_history(
    client, administrator, north_somerset
):
    client.force_login(administrator)
    response = client.post(
        reverse("inspections:inspection_create", args=[north_somerset.pk]),
        inspection_post(summary="First paragraph.\r\n\r\nSecond paragraph."),
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert "Second paragraph." in inspection.summary
    edit = reverse("inspections:inspection_edit", args=[inspection.pk])
    assert "Ofsted's summary (optional)" in html_module.unescape(client.get(edit).content.decode())
    response = client.post(edit, inspection_post(summary="Corrected.", version=1))
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.summary, inspection.version) == ("Corrected.", 2)
    assert [h.summary for h in inspection.history.order_by("history_date")] == [
        "First paragraph.\r\n\r\nSecond paragraph.",
        "Corrected.",
    ]
    # The history page names the change in words.
    history = client.get(reverse("improvement_plans:inspection_history", args=[inspection.pk]))
    assert "Ofsted's summary: “First paragraph." in html_module.unescape(history.content.decode())


def _judgements_post(**overrides) -> dict:
    data = {f"area_{code}": "good" for code in ILACS_2023}
    data["version"] = 1
    data.update(overrides)
    return data


def test_each_areas_words_are_edited_by_hand_with_their_history(
    client, administrator, north_somerset
):
    inspection = InspectionFactory(authority=north_somerset, start_date=D(2023, 3, 13))
    JudgementFactory(
        inspection=inspection,
        area=judgement_area(inspection, "care_leavers"),
        grade="good",
        strengths="Old words.",
    )
    client.force_login(administrator)
    url = reverse("inspections:judgements_edit", args=[inspection.pk])
    page = client.get(url).content.decode()
    assert "Old words." in page  # the form starts from what is recorded
    assert page.count("What needs to improve (optional)") == 5
    response = client.post(
        url,
        _judgements_post(
            strengths_care_leavers="New words.",
            to_improve_care_leavers="Pathway plans.",
            to_improve_overall_effectiveness="Consistency.",
        ),
    )
    assert response.status_code == 302
    care_leavers = inspection.judgements.get(area__code="care_leavers")
    assert (care_leavers.strengths, care_leavers.to_improve) == ("New words.", "Pathway plans.")
    assert inspection.judgements.get(area__code="overall_effectiveness").to_improve == (
        "Consistency."
    )
    latest = care_leavers.history.first()
    assert (latest.history_user, latest.strengths) == (administrator, "New words.")
    assert care_leavers.history.last().strengths == "Old words."
    inspection.refresh_from_db()
    assert inspection.version == 2

    # Someone who opened the form before that save cannot overwrite it.
    stale = client.post(url, _judgements_post(strengths_care_leavers="Stale words."))
    assert stale.status_code == 200
    assert "after you opened it" in stale.content.decode()
    assert inspection.judgements.get(area__code="care_leavers").strengths == "New words."

    # Saving the words unchanged changes nothing, so the version stays.
    same = _judgements_post(
        version=2,
        strengths_care_leavers="New words.",
        to_improve_care_leavers="Pathway plans.",
        to_improve_overall_effectiveness="Consistency.",
    )
    assert client.post(url, same).status_code == 302
    inspection.refresh_from_db()
    assert inspection.version == 2

    history = client.get(reverse("improvement_plans:inspection_history", args=[inspection.pk]))
    changes = " ".join(re.sub(r"<[^>]+>", " ", history.content.decode()).split())
    assert "Ofsted's findings: “Old words.” to “New words.”" in html_module.unescape(changes)


def test_words_for_an_area_left_not_judged_are_an_error_on_the_judgements_form(
    client, administrator, north_somerset
):
    inspection = InspectionFactory(authority=north_somerset, start_date=D(2023, 3, 13))
    client.force_login(administrator)
    response = client.post(
        reverse("inspections:judgements_edit", args=[inspection.pk]),
        _judgements_post(area_care_leavers="not_judged", to_improve_care_leavers="Some words."),
    )
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["to_improve_care_leavers"][0]
        .startswith("Select the grade for care leavers to keep what the report says about it")
    )
    assert not Judgement.objects.exists()


def test_the_inspection_page_runs_the_same_queries_with_the_words(
    client, administrator, north_somerset
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(administrator)
    counts = []
    # The words are columns of rows the page reads anyway (the inspection, its judgements).
    for words in ({"summary": "", "web_address": "", "judgement_area_texts": {}}, {}):
        Inspection.objects.all().delete()
        inspection = importers.report_import(parsed=parsed_report(**words), user=None)
        url = reverse("improvement_plans:inspection_detail", args=[inspection.pk])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts.append(len(captured.captured_queries))
    assert counts == [9, 9]  # as test_recording's count for this page
    assert re.search(
        r"What the report says<span[^>]*> about help and protection", response.content.decode()
    )


# --- A real report, end to end -------------------------------------------------------------------


def test_importing_a_real_report_keeps_each_judgements_section_and_the_page_shows_it(
    client, viewer, north_somerset
):
    import io
    from pathlib import Path

    from django.core.management import call_command

    path = (
        Path(__file__).resolve().parent.parent
        / "fixtures"
        / "ofsted-reports"
        / "north-somerset_published-2023-05-11.pdf"
    )
    call_command("import_ofsted_report", str(path), stdout=io.StringIO())
    inspection = Inspection.objects.get(authority=north_somerset)
    words = {
        j.area.code: (j.strengths, j.to_improve)
        for j in inspection.judgements.select_related("area")
    }
    assert sorted(code for code, (strengths, _) in words.items() if strengths) == [
        "care_leavers",
        "children_in_care",
        "help_and_protection",
        "impact_of_leaders",
    ]
    assert words["overall_effectiveness"] == ("", "")  # no section of its own
    care_leavers = words["care_leavers"][0]
    assert care_leavers.startswith(
        "Personal advisers (PAs) build supportive and trusting relationships with their "
        "care-experienced young people."
    )
    assert care_leavers.endswith("who do not receive appropriate and ongoing advice and support.")
    assert Judgement.history.filter(strengths__startswith="Personal advisers (PAs)").exists()

    client.force_login(viewer)
    html = client.get(reverse("improvement_plans:inspection_detail", args=[inspection.pk])).content
    html = html_module.unescape(html.decode())
    assert html.count("Ofsted's findings</h3>") == 4
    assert '<p class="govuk-body">Personal advisers (PAs) build supportive' in html
