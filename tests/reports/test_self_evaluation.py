"""The annual self-evaluation: drafted from the demo data the way councils write it, each
judgement area holding its strengths, its areas for improvement and their progress as at the
self-evaluation's day (by improvement_plans.rules over improvement_plans.records), with the
evidence added by then; exported to Word and PDF with the same content; frozen once final; last
year's text the starting point for this year's."""

from __future__ import annotations

import datetime
import io
import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pdfminer.high_level import extract_text

from accounts.models import LocalAuthority
from improvement_plans import records
from improvement_plans.models import ProgressUpdate, Rag
from inspections.models import FindingKind, Judgement
from readiness import services as readiness_services
from reports import services
from reports.models import CommitteeReport, ReportKind, ReportStatus
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    ProgressUpdateFactory,
)
from tests.readiness import files

pytestmark = pytest.mark.django_db

YEAR_END = datetime.date(2025, 12, 31)


def _users(name: str):
    from django.contrib.auth import get_user_model

    prefix = {"North Somerset": "ns", "Gateshead": "gateshead", "Brent": "brent"}[name]
    users = get_user_model().objects
    return users.get(username=f"{prefix}.officer"), users.get(username=f"{prefix}.manager")


def _create(authority, manager, year: int) -> CommitteeReport:
    return services.self_evaluation_create(
        authority=authority,
        year=year,
        user=manager,
        meeting_date=datetime.date(year + 1, 1, 20),
        report_of="Director of Children's Services",
        author_name="Head of Quality Assurance",
        contact="qa@example.org",
    )


def _sections(report) -> dict:
    return {s.key: s for s in report.sections.order_by("order")}


@pytest.mark.parametrize("name", ["North Somerset", "Gateshead", "Brent"])
def test_a_self_evaluation_of_the_demo_data_holds_each_areas_progress_as_at_its_day(demo, name):
    authority = LocalAuthority.objects.get(name=name)
    _, manager = _users(name)
    report = _create(authority, manager, 2025)
    sections = _sections(report)
    assert report.kind == ReportKind.SELF_EVALUATION

    # The records as they stood at the end of 2025, by the rules every page applies.
    found = records.load(authority_ids=[authority.pk], day=YEAR_END, history=True, judgements=True)
    latest = report.inspection
    judgements = [j for j in found.judgements[latest.pk].values()]
    assert {
        f"judgement-{j.area.code}" for j in judgements if j.area.code != "overall_effectiveness"
    } <= set(sections)
    tagged = 0
    for judgement in judgements:
        if judgement.area.code == "overall_effectiveness":
            continue
        section = sections[f"judgement-{judgement.area.code}"]
        body = section.body
        assert section.heading == judgement.area.name
        for heading in (
            "What we know about the quality and impact of practice",
            "What we are doing to improve",
            "How we know",
            "What we will do next",
        ):
            assert heading in body
        strengths = latest.findings.filter(kind=FindingKind.STRENGTH, judgement_area=judgement.area)
        for strength in strengths:
            assert strength.text in body
        for area in found.afis:
            if area.judgement_area_id != judgement.area_id:
                continue
            tagged += 1
            assert area.title.rstrip(".") in body
            approved = found.progress[area.pk].latest_approved
            expected = (
                f"rated {Rag(approved.rag).label.lower()} in {approved.month:%B %Y}"
                if approved
                else "no progress update approved yet"
            )
            line = next(line for line in body.splitlines() if area.title.rstrip(".") in line)
            assert expected in line, (area.title, line)
            assert approved is None or approved.month <= datetime.date(2025, 12, 1)
        # Evidence added after the day (the demo adds it now) is not evidence as at 2025.
        assert "Audit findings, November 2026" not in body
    assert tagged == len([a for a in found.afis if a.inspection_id == latest.pk])
    assert "Leadership, management and governance" in [s.heading for s in sections.values()]
    assert "The workforce" in [s.heading for s in sections.values()]
    assert "The previous inspection revisited" in [s.heading for s in sections.values()]


def test_the_demos_own_self_evaluation_is_this_years_with_its_evidence(demo):
    authority = LocalAuthority.objects.get(name="North Somerset")
    [report] = CommitteeReport.objects.filter(authority=authority, kind=ReportKind.SELF_EVALUATION)
    assert report.period_start.year == 2026
    text = "\n".join(s.body for s in report.sections.all())
    assert "Audit findings," in text  # the evidence files on the areas' updates


def _exports(client, report) -> tuple[str, str, str]:
    kwargs = {"report_pk": report.pk}
    word = docx.Document(
        io.BytesIO(client.get(reverse("reports:report_docx", kwargs=kwargs)).content)
    )
    word_text = "\n".join(
        [p.text for p in word.paragraphs]
        + [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    )
    html = client.get(reverse("reports:report_print", kwargs=kwargs)).content.decode()
    html = html[html.index("<main") : html.index("</main>")]  # the page around it has a nonce
    pdf = extract_text(io.BytesIO(client.get(reverse("reports:report_pdf", kwargs=kwargs)).content))
    return word_text, html, pdf


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'"))


def test_the_word_and_pdf_exports_hold_the_same_self_evaluation(client, demo):
    authority = LocalAuthority.objects.get(name="Gateshead")
    _, manager = _users("Gateshead")
    report = _create(authority, manager, 2025)
    client.force_login(manager)
    word_text, _html, pdf = _exports(client, report)
    word_text, pdf = _squash(word_text), _squash(pdf)
    assert "Self-evaluation of social work practice, 2025" in word_text
    assert "Self-evaluation of social work practice, 2025" in pdf
    for section in report.sections.all():
        assert _squash(section.heading) in word_text and _squash(section.heading) in pdf
        for line in section.body.splitlines():
            line = _squash(line.removeprefix("- ").strip())
            if line:
                assert line in word_text, line
                # The PDF breaks lines (and may hyphenate nothing): compare its first words.
                assert " ".join(line.split()[:6]) in pdf, line


def test_a_final_self_evaluation_never_changes_after_the_data_does(client, demo):
    authority = LocalAuthority.objects.get(name="North Somerset")
    officer, manager = _users("North Somerset")
    report = _create(authority, manager, 2025)
    report = services.report_finalise(report=report, expected_version=report.version, user=manager)
    assert report.status == ReportStatus.FINAL
    client.force_login(manager)
    before = _exports(client, report)

    inspection = report.inspection
    Judgement.objects.filter(inspection=inspection).update(grade="inadequate")
    ProgressUpdate.objects.filter(area_for_improvement__inspection=inspection).update(
        rag=Rag.RED, next_steps="Rewritten later"
    )
    area = inspection.findings.filter(kind=FindingKind.AREA_FOR_IMPROVEMENT).first()
    type(area).objects.filter(pk=area.pk).update(title="Renamed later")
    readiness_services.evidence_add(
        target=ProgressUpdate.objects.filter(area_for_improvement=area).first(),
        uploaded_file=SimpleUploadedFile("late.pdf", files.pdf()),
        title="Evidence added later",
        document_date=datetime.date(2025, 6, 1),
        user=officer,
    )
    after = _exports(client, report)
    assert after == before
    for later in ("Inadequate", "Rewritten later", "Renamed later", "Evidence added later"):
        assert later not in after[0] and later not in after[2]


def test_last_years_self_evaluation_is_the_starting_point(authority, manager):
    inspection = InspectionFactory(authority=authority)
    JudgementFactory(inspection=inspection, grade="requires_improvement")
    area = FindingFactory(inspection=inspection)
    ProgressUpdateFactory(
        area_for_improvement=area,
        month=datetime.date(2024, 11, 1),
        status="approved",
        rag=Rag.AMBER,
        next_steps="Audit again in the spring.",
    )
    last = _create(authority, manager, 2024)
    workforce = last.sections.get(key="workforce")
    services.section_update(
        section=workforce,
        expected_version=workforce.version,
        user=manager,
        body="Caseloads averaged 17 children; agency staff fell to 12%.",
    )
    this = _create(authority, manager, 2025)
    sections = _sections(this)
    assert sections["workforce"].body == "Caseloads averaged 17 children; agency staff fell to 12%."
    assert sections["workforce"].data["carried_over_from"] == 2024
    assert sections["workforce"].edited
    # What nobody wrote last year is drafted again from this year's data.
    assert "carried_over_from" not in sections["introduction"].data
    assert "2025" in sections["introduction"].body


def test_one_self_evaluation_per_year_and_only_after_a_graded_inspection(
    client, authority, manager
):
    client.force_login(manager)
    url = reverse("reports:self_evaluation_create", kwargs={"authority_pk": authority.pk})
    data = {
        "year": "2025",
        "meeting_date_0": "20",
        "meeting_date_1": "1",
        "meeting_date_2": "2026",
        "report_of": "Director",
        "author_name": "Author",
        "contact": "a@example.org",
    }
    response = client.post(url, data)
    assert "No graded inspection with judgements is recorded" in response.content.decode()
    JudgementFactory(inspection=InspectionFactory(authority=authority))
    response = client.post(url, data)
    assert response.status_code == 302
    response = client.post(url, data)
    assert "A self-evaluation for 2025 has already been started" in response.content.decode()
    assert CommitteeReport.objects.filter(kind=ReportKind.SELF_EVALUATION).count() == 1
