"""Evidence files: checked by what they contain, limited in size and per authority, stored under
names the app makes outside the web root, served only through a permission check as attachments
that are never sniffed, and kept in the history."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from readiness import services
from readiness.models import Evidence
from tests.factories import ActionFactory, FindingFactory, InspectionFactory, ProgressUpdateFactory
from tests.readiness import files


@pytest.fixture
def update(authority, officer):
    area = FindingFactory(inspection=InspectionFactory(authority=authority), lead=officer)
    return ProgressUpdateFactory(area_for_improvement=area, author=officer)


def _post(client, update, name: str, content: bytes, title="Audit of supervision"):
    return client.post(
        reverse("readiness:update_evidence", kwargs={"update_pk": update.pk}),
        {
            "title": title,
            "document_date_0": "31",
            "document_date_1": "3",
            "document_date_2": "2026",
            "file": files.upload(name, content),
        },
    )


def _stored(location) -> list:
    return [path for path in location.rglob("*") if path.is_file()]


ACCEPTED = [
    ("audit.pdf", files.pdf, "pdf"),
    ("audit.docx", files.docx, "docx"),
    ("scorecard.xlsx", files.xlsx, "xlsx"),
    ("briefing.pptx", files.pptx, "pptx"),
    ("chart.png", lambda: files.image("PNG"), "png"),
    ("photo.jpg", lambda: files.image("JPEG"), "jpeg"),
    ("photo.JPEG", lambda: files.image("JPEG"), "jpeg"),
    ("diagram.gif", lambda: files.image("GIF"), "gif"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "make", "kind"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_each_accepted_kind_is_stored_under_a_name_the_app_makes(
    client, officer, update, name, make, kind, evidence_folder
):
    content = make()
    client.force_login(officer)
    response = _post(client, update, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    evidence = Evidence.objects.get()
    assert (evidence.kind, evidence.file_name, evidence.size) == (kind, name, len(content))
    assert evidence.added_by == officer and evidence.document_date == datetime.date(2026, 3, 31)
    assert evidence.authority_id == update.area_for_improvement.inspection.authority_id
    [stored] = _stored(evidence_folder)
    assert stored.name == evidence.stored_name
    assert name.rsplit(".", 1)[0] not in stored.name  # never the uploader's name
    assert stored.read_bytes() == content
    assert evidence.history.get().history_user == officer


REFUSED = [
    # (what, file name, content, words the message must have)
    (
        "content not what its name says",
        "chart.pdf",
        lambda: files.image("PNG"),
        "name ends .pdf but it is a PNG image",
    ),
    ("a Word file called .xlsx", "scorecard.xlsx", files.docx, "but it is a Word document"),
    ("an executable called .pdf", "audit.pdf", files.executable, "is a program, not a document"),
    ("an executable", "setup.exe", files.executable, "is a program, not a document"),
    ("a Linux program", "audit.docx", files.elf, "is a program, not a document"),
    ("a macro-enabled Word file", "audit.docx", files.macro_enabled_docx, "contains macros"),
    ("a .docm", "audit.docm", files.macro_enabled_docx, "contains macros"),
    ("an HTML page", "report.html", files.html, "is a web page (HTML)"),
    ("a web page saved as .pdf", "report.pdf", files.html, "is a web page (HTML)"),
    ("an SVG with a script", "chart.svg", files.svg_with_script, "is an SVG image"),
    ("an SVG with a script called .png", "chart.png", files.svg_with_script, "is an SVG image"),
    ("a legacy Word file", "audit.doc", files.legacy_doc, "older Office file"),
    ("plain text", "notes.txt", lambda: b"Some notes\n", "is not a PDF, Word (.docx)"),
    ("a damaged Office file", "audit.docx", lambda: b"PK\x03\x04broken", "is damaged"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("what", "name", "make", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_refused_file_gets_a_clear_message_and_nothing_is_stored(
    client, officer, update, what, name, make, message, evidence_folder
):
    client.force_login(officer)
    response = _post(client, update, name, make())
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'").replace("’", "'"), what
    assert "Error: " in page  # the page title says the form has an error
    assert not Evidence.objects.exists()
    assert _stored(evidence_folder) == []


@pytest.mark.django_db
def test_an_oversize_file_is_refused(client, officer, update, settings, evidence_folder):
    settings.EVIDENCE_MAX_BYTES = 100 * 1024
    client.force_login(officer)
    response = _post(client, update, "audit.pdf", files.pdf())  # a real PDF of 300 KB or more
    assert "The selected file must be smaller than 100 KB" in response.content.decode()
    assert not Evidence.objects.exists() and _stored(evidence_folder) == []


@pytest.mark.django_db
def test_the_default_size_limit_is_20_mb():
    from django.conf import settings

    assert settings.EVIDENCE_MAX_BYTES == 20 * 1024 * 1024


@pytest.mark.django_db
def test_the_authoritys_quota_is_kept(client, officer, update, settings, evidence_folder):
    content = files.image("PNG")
    settings.EVIDENCE_AUTHORITY_QUOTA_BYTES = len(content) * 2
    client.force_login(officer)
    assert _post(client, update, "a.png", content).status_code == 302
    assert _post(client, update, "b.png", content).status_code == 302
    response = _post(client, update, "c.png", content)
    assert "have reached their limit" in response.content.decode()
    assert Evidence.objects.count() == 2 and len(_stored(evidence_folder)) == 2


@pytest.mark.django_db
def test_a_download_is_an_attachment_that_is_never_sniffed(client, officer, viewer, update):
    evidence = services.evidence_add(
        target=update,
        uploaded_file=files.upload("Supervision audit.docx", files.docx()),
        title="Supervision audit",
        document_date=datetime.date(2026, 3, 31),
        user=officer,
    )
    client.force_login(viewer)  # read-only people may read the evidence
    response = client.get(
        reverse("readiness:evidence_download", kwargs={"evidence_pk": evidence.pk})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Supervision audit.docx"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    with services.evidence_storage().open(evidence.stored_name) as stored:
        assert b"".join(response.streaming_content) == stored.read()


@pytest.mark.django_db
def test_the_download_gives_back_the_exact_bytes(client, officer, update):
    content = files.pdf()
    evidence = services.evidence_add(
        target=update,
        uploaded_file=files.upload("audit.pdf", content),
        title="Audit",
        document_date=datetime.date(2026, 3, 31),
        user=officer,
    )
    client.force_login(officer)
    response = client.get(
        reverse("readiness:evidence_download", kwargs={"evidence_pk": evidence.pk})
    )
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_another_authoritys_evidence_is_a_404(client, officer, outsider, update):
    evidence = services.evidence_add(
        target=update,
        uploaded_file=files.upload("audit.pdf", files.pdf()),
        title="Audit",
        document_date=datetime.date(2026, 3, 31),
        user=officer,
    )
    client.force_login(outsider)
    for url in (
        reverse("readiness:evidence_download", kwargs={"evidence_pk": evidence.pk}),
        reverse("readiness:update_evidence", kwargs={"update_pk": update.pk}),
    ):
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_read_only_user_cannot_upload(client, viewer, update, evidence_folder):
    client.force_login(viewer)
    assert _post(client, update, "audit.pdf", files.pdf()).status_code == 403
    assert not Evidence.objects.exists() and _stored(evidence_folder) == []


@pytest.mark.django_db
def test_media_is_not_served_by_any_url(client, officer, update):
    """The evidence folder is reachable only through the download view."""
    evidence = services.evidence_add(
        target=update,
        uploaded_file=files.upload("audit.pdf", files.pdf()),
        title="Audit",
        document_date=datetime.date(2026, 3, 31),
        user=officer,
    )
    client.force_login(officer)
    for url in (
        f"/media/{evidence.stored_name}",
        f"/media/evidence/{evidence.stored_name}",
        f"/static/{evidence.stored_name}",
        f"/evidence/{evidence.stored_name}",
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_how_we_know_lists_the_areas_evidence_from_updates_and_actions(
    client, officer, update, django_assert_num_queries
):
    area = update.area_for_improvement
    action = ActionFactory(area_for_improvement=area)
    for target, title in ((update, "Supervision audit"), (action, "Training register")):
        services.evidence_add(
            target=target,
            uploaded_file=files.upload("file.png", files.image("PNG")),
            title=title,
            document_date=datetime.date(2026, 3, 31),
            user=officer,
        )
    client.force_login(officer)
    url = reverse("readiness:area_evidence", kwargs={"finding_pk": area.pk})
    # 1 session, 2 user, 3 the area (scoped to the user, with its authority), 4 the evidence
    # (with who added it and what it is attached to); 5-7 the session's expiry pushed back
    # (savepoint, update, release)
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    assert "Supervision audit" in page and "Training register" in page
    assert "January 2024 update" in page
    action_page = client.get(
        reverse("readiness:action_evidence", kwargs={"action_pk": action.pk})
    ).content.decode()
    assert "Training register" in action_page and "Supervision audit" not in action_page


@pytest.mark.django_db
def test_an_impossible_year_is_a_clear_error_not_a_crash(client, officer, update):
    """Eleven digits of year overflow the date itself (core.forms.GovukDateField)."""
    client.force_login(officer)
    response = client.post(
        reverse("readiness:update_evidence", kwargs={"update_pk": update.pk}),
        {
            "title": "Audit",
            "document_date_0": "1",
            "document_date_1": "1",
            "document_date_2": "99999999999",
            "file": files.upload("audit.png", files.image("PNG")),
        },
    )
    assert response.status_code == 200
    assert "The date of the document must include a year with 4 digits" in response.content.decode()
    assert not Evidence.objects.exists()
