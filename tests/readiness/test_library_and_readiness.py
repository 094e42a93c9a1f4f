"""The evidence library (its own list, from a documented default; missing and stale shown on the
authority dashboard, which is rebuilt when the library changes), the readiness checklist beside
the next-inspection window, and the annual engagement meeting's record."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections.models import EventType
from readiness import rules, selectors, services
from readiness.models import EngagementMeeting, ItemState, LibraryDocument, ReadinessItem
from tests.factories import (
    InspectionFactory,
    JudgementFactory,
    LibraryDocumentFactory,
    ReadinessItemFactory,
)
from tests.readiness import files

TODAY = datetime.date(2026, 6, 1)


def test_library_state_rules():
    state = rules.library_state
    day = datetime.date
    assert state(has_file=False, due_date=None, review_date=None, today=TODAY) is (
        rules.LibraryState.MISSING
    )
    assert state(has_file=False, due_date=day(2026, 6, 1), review_date=None, today=TODAY) is (
        rules.LibraryState.MISSING
    )
    assert state(has_file=False, due_date=day(2026, 5, 31), review_date=None, today=TODAY) is (
        rules.LibraryState.OVERDUE
    )
    assert state(has_file=True, due_date=day(2026, 5, 31), review_date=None, today=TODAY) is (
        rules.LibraryState.CURRENT
    )
    assert state(has_file=True, due_date=None, review_date=day(2026, 6, 1), today=TODAY) is (
        rules.LibraryState.CURRENT
    )
    assert state(has_file=True, due_date=None, review_date=day(2026, 5, 31), today=TODAY) is (
        rules.LibraryState.STALE
    )


@pytest.mark.django_db
def test_the_library_starts_from_the_documented_default_list(client, manager, authority):
    default = services.default_library()
    assert len(default) >= 20
    assert all(row["title"] and row["owner"] for row in default)
    client.force_login(manager)
    url = reverse("readiness:library", kwargs={"authority_pk": authority.pk})
    LibraryDocumentFactory(authority=authority, title=default[0]["title"])
    assert client.post(url).status_code == 302
    titles = list(
        LibraryDocument.objects.filter(authority=authority).values_list("title", flat=True)
    )
    assert sorted(titles) == sorted(row["title"] for row in default)  # none twice
    client.post(url)
    assert LibraryDocument.objects.filter(authority=authority).count() == len(default)
    page = client.get(url).content.decode()
    assert "Self-evaluation of social work practice" in page


@pytest.mark.django_db
def test_the_library_page_runs_a_fixed_number_of_queries(
    client, officer, authority, django_assert_num_queries
):
    def grow(n):
        for _ in range(n):
            document = LibraryDocumentFactory(authority=authority)
            services.evidence_add(
                target=document,
                uploaded_file=files.upload("a.png", files.image("PNG")),
                title="Current",
                document_date=TODAY,
                user=officer,
            )

    client.force_login(officer)
    url = reverse("readiness:library", kwargs={"authority_pk": authority.pk})
    counts = []
    for n in (1, 5):
        grow(n)
        # 1 session, 2 user, 3 the authority (scoped to the user), 4 the documents, 5 their
        # files (with who added them), 6 the user's role (may they manage); 7-9 the session's
        # expiry pushed back (savepoint, update, release)
        with django_assert_num_queries(9):
            client.get(url)
        counts.append(n)
    assert counts == [1, 5]


@pytest.mark.django_db
def test_a_new_file_becomes_the_current_one_and_the_old_is_kept(client, officer, authority):
    document = LibraryDocumentFactory(authority=authority, review_date=TODAY)
    client.force_login(officer)
    url = reverse("readiness:document_detail", kwargs={"library_document_pk": document.pk})
    for title in ("Framework 2025", "Framework 2026"):
        response = client.post(
            url,
            {
                "title": title,
                "document_date_0": "1",
                "document_date_1": "4",
                "document_date_2": "2026",
                "file": files.upload("framework.docx", files.docx()),
            },
        )
        assert response.status_code == 302
    [entry] = selectors.library(authority_id=authority.pk, today=TODAY)
    assert [f.title for f in entry.files] == ["Framework 2026", "Framework 2025"]
    assert entry.current.title == "Framework 2026"
    assert entry.state is rules.LibraryState.CURRENT


@pytest.mark.django_db
def test_missing_and_stale_documents_show_on_the_dashboard_and_a_file_restamps_it(
    client, manager, officer, authority
):
    today = timezone.localdate()
    missing = LibraryDocumentFactory(
        authority=authority, title="Sufficiency strategy", due_date=today - datetime.timedelta(1)
    )
    stale = LibraryDocumentFactory(
        authority=authority, title="Threshold document", review_date=today - datetime.timedelta(1)
    )
    services.evidence_add(
        target=stale,
        uploaded_file=files.upload("threshold.pdf", files.pdf()),
        title="Threshold document 2024",
        document_date=datetime.date(2024, 4, 1),
        user=officer,
    )
    LibraryDocumentFactory(authority=authority, title="Structure charts")  # missing, no date
    client.force_login(manager)
    url = reverse("dashboards:authority", kwargs={"authority_pk": authority.pk})
    page = client.get(url).content.decode()
    assert "3 of 3 documents missing or due for review" in page
    assert "Sufficiency strategy (Head of Quality Assurance): missing: overdue" in page
    assert "Threshold document (Head of Quality Assurance): review overdue" in page
    # The dashboard is cached: a file uploaded (by any path) gives the authority a new stamp.
    services.evidence_add(
        target=missing,
        uploaded_file=files.upload("sufficiency.pdf", files.pdf()),
        title="Sufficiency strategy 2026",
        document_date=today,
        user=officer,
    )
    page = client.get(url).content.decode()
    assert "2 of 3 documents missing or due for review" in page
    assert "Sufficiency strategy (" not in page


def _graded(authority, start):
    inspection = InspectionFactory(
        authority=authority,
        event_type=EventType.STANDARD,
        start_date=start,
        end_date=start + datetime.timedelta(days=11),
    )
    JudgementFactory(inspection=inspection, grade="good")
    return inspection


@pytest.mark.django_db
def test_open_checklist_items_show_beside_the_window_as_it_approaches(client, manager, authority):
    today = timezone.localdate()
    ReadinessItemFactory(authority=authority, title="Dry run of the Annex A data", owner="BI lead")
    ReadinessItemFactory(authority=authority, title="Logistics plan", state=ItemState.DONE)
    client.force_login(manager)
    dashboard = reverse("dashboards:authority", kwargs={"authority_pk": authority.pk})
    readiness = reverse("readiness:readiness", kwargs={"authority_pk": authority.pk})

    # A good inspection a year ago: the short inspection's window opens in about 18 months.
    _graded(authority, today - datetime.timedelta(days=365))
    page = client.get(dashboard).content.decode()
    assert "1 checklist item is not done; they are listed here once the window is near" in page
    assert "Dry run of the Annex A data (BI lead" not in page
    assert "Logistics plan" not in page

    # Two and a half years on, the window is near.
    authority.inspections.update(
        start_date=today - datetime.timedelta(days=900),
        end_date=today - datetime.timedelta(days=890),
    )
    page = client.get(dashboard).content.decode()
    assert "Dry run of the Annex A data (BI lead): not started" in page
    assert "Logistics plan" not in page
    page = client.get(readiness).content.decode()
    assert "1 checklist item is not done" in page
    assert "Logistics plan" in page  # listed among those done


@pytest.mark.django_db
def test_a_checklist_item_is_edited_with_a_version_check(client, manager, authority):
    item = ReadinessItemFactory(authority=authority)
    client.force_login(manager)
    url = reverse("readiness:item_edit", kwargs={"readiness_item_pk": item.pk})
    data = {
        "title": item.title,
        "owner": "Head of Performance",
        "state": ItemState.IN_PROGRESS,
        "version": item.version,
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "state": ItemState.DONE})  # the old version again
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    item.refresh_from_db()
    assert (item.state, item.version) == (ItemState.IN_PROGRESS, 2)
    assert item.history.count() == 2


@pytest.mark.django_db
def test_a_checklist_item_needs_a_title_and_owner(client, manager, authority):
    client.force_login(manager)
    url = reverse("readiness:item_create", kwargs={"authority_pk": authority.pk})
    response = client.post(url, {"title": "", "owner": "", "state": "not_started"})
    page = response.content.decode()
    assert "Enter what needs doing" in page and "Enter who owns this" in page
    assert not ReadinessItem.objects.exists()


@pytest.mark.django_db
def test_the_engagement_meeting_gets_its_page(client, manager, viewer, authority):
    meeting = InspectionFactory(
        authority=authority,
        event_type=EventType.ANNUAL_ENGAGEMENT,
        start_date=datetime.date(2026, 5, 12),
        end_date=datetime.date(2026, 5, 12),
    )
    client.force_login(manager)
    detail = reverse("readiness:meeting_detail", kwargs={"meeting_pk": meeting.pk})
    edit = reverse("readiness:meeting_edit", kwargs={"meeting_pk": meeting.pk})
    assert "Not recorded" in client.get(detail).content.decode()
    response = client.post(
        edit,
        {
            "attendees": "Jo Bloggs, DCS\nSenior HMI",
            "notes": "Self-evaluation discussed.",
            "version": 1,
        },
    )
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "Jo Bloggs, DCS<br>Senior HMI" in page and "Self-evaluation discussed." in page
    readiness = client.get(reverse("readiness:readiness", kwargs={"authority_pk": authority.pk}))
    assert "12 May 2026" in readiness.content.decode()
    # A second person who opened the empty record before the first save is told, not overwriting.
    response = client.post(edit, {"attendees": "", "notes": "Mine", "version": 1})
    assert "after you opened it" in response.content.decode()
    assert EngagementMeeting.objects.get().notes == "Self-evaluation discussed."
    client.force_login(viewer)
    assert client.get(detail).status_code == 200
    assert client.post(edit, {"notes": "x", "version": 2}).status_code == 403
    assert EngagementMeeting.objects.get().history.get().history_user == manager


@pytest.mark.django_db
def test_an_inspection_that_is_not_an_engagement_meeting_has_no_meeting_page(
    client, manager, authority
):
    inspection = InspectionFactory(authority=authority)
    client.force_login(manager)
    url = reverse("readiness:meeting_detail", kwargs={"meeting_pk": inspection.pk})
    assert client.get(url).status_code == 404
