"""Names, titles and file names never keep a character that changes the direction of text
(issue 14, item 8; core.forms.RefuseDirectionControls): "gnp.exe" with a right-to-left override
would read "exe.png". Each is refused with a message naming the field, and nothing is saved."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership, Role
from core.forms import DIRECTION_CONTROLS
from improvement_plans.models import Action
from inspections.models import Finding
from reports.models import CommitteeReport, WordTemplate
from tests.factories import FindingFactory, InspectionFactory

pytestmark = pytest.mark.django_db

RLO = "\u202e"
EVERY_CONTROL = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]
MESSAGE = "must not include hidden characters that change the direction of text"


def _date(name: str, day: datetime.date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.mark.parametrize("control", EVERY_CONTROL)
def test_each_direction_control_is_recognised(control):
    assert DIRECTION_CONTROLS.search(f"gnp{control}.exe")
    assert not DIRECTION_CONTROLS.search("Ysgol Gymraeg – يوسف")  # other scripts are fine


def _refused(response, field: str, start: str) -> None:
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(e.startswith(start) and MESSAGE in e for e in errors), errors
    assert "There is a problem" in response.content.decode()


def test_a_findings_title_and_text(client, administrator, authority):
    inspection = InspectionFactory(authority=authority)
    client.force_login(administrator)
    url = reverse("inspections:finding_create", args=[inspection.pk])
    data = {"kind": "area_for_improvement", "text": "Plans.", "title": f"Plans{RLO}gnp.exe"}
    _refused(client.post(url, data), "title", "Short title")
    _refused(client.post(url, {**data, "title": "", "text": f"{RLO}Plans"}), "text", "What the")
    paste = reverse("inspections:findings_paste", args=[inspection.pk])
    response = client.post(paste, {"kind": "area_for_improvement", "pasted": f"- {RLO}Plans"})
    _refused(response, "pasted", "The pasted list")
    assert not Finding.objects.exists()


def test_an_actions_owner(client, manager, authority, officer):
    area = FindingFactory(inspection=InspectionFactory(authority=authority), lead=officer)
    client.force_login(manager)
    response = client.post(
        reverse("improvement_plans:action_create", args=[area.pk]),
        {
            "description": "Audit",
            "owner": f"Head of {RLO}Safeguarding",
            **_date("due_date", datetime.date.today() + datetime.timedelta(days=30)),
            "status": "not_started",
        },
    )
    _refused(response, "owner", "Owner")
    assert not Action.objects.exists()


def test_an_invited_persons_name(client, manager, authority):
    client.force_login(manager)
    before = Membership.objects.count()
    response = client.post(
        reverse("accounts:membership_create"),
        {
            "first_name": f"Ada{RLO}",
            "last_name": "Lovelace",
            "email": "ada@example.gov.uk",
            "authority": authority.pk,
            "role": Role.OFFICER,
        },
    )
    _refused(response, "first_name", "First name")
    assert Membership.objects.count() == before


def test_a_reports_title(client, manager, authority):
    inspection = InspectionFactory(authority=authority)
    client.force_login(manager)
    response = client.post(
        reverse("reports:report_create", args=[authority.pk]),
        {
            "kind": "progress_update",
            "inspection": inspection.pk,
            "title": f"Progress {RLO}report",
            "committee": "Cabinet",
            **_date("meeting_date", datetime.date(2024, 7, 10)),
            **_date("period_start", datetime.date(2024, 1, 1)),
            **_date("period_end", datetime.date(2024, 6, 30)),
            "report_of": "Director",
            "portfolio_holder": "Cllr Jones",
            "author_name": "Pat Lee",
            "contact": "pat@example.gov.uk",
        },
    )
    _refused(response, "title", "Title")
    assert not CommitteeReport.objects.exists()


def test_an_uploaded_files_name_is_refused_by_the_form():
    from inspections.forms import UploadForm
    from reports.forms import WordTemplateForm

    for form in (
        UploadForm(
            {},
            {"file": SimpleUploadedFile(f"report{RLO}fdp.pdf", b"%PDF-1.7")},
            label="Upload the report",
            help_text="",
            suffix=".pdf",
            max_bytes=1000,
        ),
        WordTemplateForm({}, {"file": SimpleUploadedFile(f"template{RLO}xcod.docx", b"PK")}),
    ):
        assert not form.is_valid()
        (error,) = form.errors["file"]
        assert error.startswith("The file name") and MESSAGE in error


@pytest.mark.parametrize(
    ("url_name", "needs_authority"),
    [("inspections:report_import", False), ("reports:word_template", True)],
)
def test_a_name_sent_with_a_file_never_keeps_them(
    client, administrator, authority, url_name, needs_authority
):
    """Through the web, Django's upload parser already drops every character that does not
    print (these among them) from the name a browser sends: the form sees the name without."""
    client.force_login(administrator)
    url = reverse(url_name, args=[authority.pk] if needs_authority else [])
    response = client.post(url, {"file": SimpleUploadedFile(f"gnp{RLO}.exe.pdf", b"not read")})
    assert response.status_code == 200
    assert response.wsgi_request.FILES["file"].name == "gnp.exe.pdf"
    assert not WordTemplate.objects.exists()
