"""A final report is the report as it went to the committee: later changes to the data never
change it, and neither the service nor the database lets anything change it."""

import io
import re

import docx
import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from pdfminer.high_level import extract_text

from accounts.models import LocalAuthority
from improvement_plans.models import ProgressUpdate, Rag
from inspections.models import Finding, Judgement
from reports import services
from reports.models import ReportSection
from tests.factories import FindingFactory
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def final(authority, manager):
    inspection = inspection_with_progress(authority)
    report = report_for(inspection, manager)
    return services.report_finalise(report=report, expected_version=report.version, user=manager)


def _exports(client, report) -> tuple[list[str], str, str]:
    kwargs = {"report_pk": report.pk}
    word = docx.Document(
        io.BytesIO(client.get(reverse("reports:report_docx", kwargs=kwargs)).content)
    )
    word_text = [p.text for p in word.paragraphs] + [
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    ]
    html = client.get(reverse("reports:report_print", kwargs=kwargs)).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    pdf = re.sub(
        r"\s+",
        " ",
        extract_text(io.BytesIO(client.get(reverse("reports:report_pdf", kwargs=kwargs)).content)),
    )
    return word_text, main, pdf


def test_later_changes_to_the_data_never_change_a_final_report(client, manager, final):
    client.force_login(manager)
    before = _exports(client, final)
    inspection = final.inspection

    # Everything the report was written from changes.
    Judgement.objects.filter(inspection=inspection).update(grade="inadequate")
    ProgressUpdate.objects.filter(area_for_improvement__inspection=inspection).update(
        what_was_done="Rewritten later", rag=Rag.RED
    )
    finding = Finding.objects.filter(inspection=inspection).first()
    Finding.objects.filter(pk=finding.pk).update(title="Renamed later", text="Reworded later")
    FindingFactory(inspection=inspection, title="An area added later")
    LocalAuthority.objects.filter(pk=final.authority_id).update(name="Renamed Council")
    type(inspection).objects.filter(pk=inspection.pk).update(report_url="https://example.org/new")

    after = _exports(client, final)
    assert after == before
    for later in ("Inadequate", "Rewritten later", "Renamed later", "An area added later"):
        assert later not in "\n".join(after[0])
        assert later not in after[1] and later not in after[2]


def test_the_service_refuses_to_change_a_final_report(manager, final):
    section = final.sections.get(key="purpose")
    with pytest.raises(services.ReportIsFinal):
        services.section_update(
            section=section, expected_version=section.version, user=manager, body="x"
        )
    with pytest.raises(services.ReportIsFinal):
        services.section_regenerate(section=section, expected_version=section.version, user=manager)
    final.title = "Changed"
    with pytest.raises(services.ReportIsFinal):
        services.report_update(report=final, expected_version=final.version, user=manager)
    with pytest.raises(services.ReportIsFinal):
        services.report_finalise(report=final, expected_version=final.version, user=manager)


def test_the_database_refuses_to_change_a_final_report_or_its_sections(final):
    model = type(final)
    for change in (
        lambda: model.objects.filter(pk=final.pk).update(title="Changed behind the app's back"),
        lambda: model.objects.filter(pk=final.pk).update(status="draft", finalised_at=None),
        lambda: ReportSection.objects.filter(report=final).update(body="Changed"),
        lambda: ReportSection.objects.create(
            report=final, key="extra", kind="text", heading="Extra", order=999
        ),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    final.refresh_from_db()
    assert final.title != "Changed behind the app's back"
    assert not ReportSection.objects.filter(report=final, body="Changed").exists()


def test_a_draft_can_still_be_changed_in_the_database(authority, manager):
    """The triggers freeze final reports only: a draft's row and its sections take an update
    (a trigger that refused, or silently skipped, the change would fail this)."""
    report = report_for(inspection_with_progress(authority, areas=1, months=1), manager)
    sections = ReportSection.objects.filter(report=report)
    assert report.status == "draft"
    assert sections.count() > 1
    assert type(report).objects.filter(pk=report.pk).update(title="Fine while a draft") == 1
    assert sections.update(body="Fine while a draft") == sections.count()
    ReportSection.objects.create(
        report=report, key="extra", kind="text", heading="Extra", order=999, body="Added"
    )
    report.refresh_from_db()
    assert report.title == "Fine while a draft"
    assert set(sections.exclude(key="extra").values_list("body", flat=True)) == {
        "Fine while a draft"
    }
    assert sections.get(key="extra").body == "Added"
