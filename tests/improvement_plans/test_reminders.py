"""`send_progress_reminders`: officers with an update due or overdue, managers with updates
waiting; once per person per month however often it runs."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from improvement_plans.models import ReminderSent, UpdateStatus
from tests.factories import FindingFactory, InspectionFactory, ProgressUpdateFactory, UserFactory

pytestmark = pytest.mark.django_db

END_OF_MARCH = "2026-03-27"  # within the last week of March: this month's update is due


@pytest.fixture
def area(authority, officer):
    area = FindingFactory(
        inspection=InspectionFactory(authority=authority), lead=officer, title="Quality of plans"
    )
    # The area has existed since last year, so a missed month counts as overdue.
    type(area).objects.filter(pk=area.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 12, 1))
    )
    return area


def _run(date: str) -> str:
    out = StringIO()
    call_command("send_progress_reminders", date=date, stdout=out)
    return out.getvalue()


def test_an_officer_is_reminded_once_a_month_of_a_due_update(mailoutbox, area, officer):
    ProgressUpdateFactory(
        area_for_improvement=area,
        month=datetime.date(2026, 2, 1),
        status=UpdateStatus.APPROVED,
        author=officer,
    )
    assert "1 to officers" in _run(END_OF_MARCH)
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [officer.email]
    assert "March 2026 is due by 31 March" in email.body
    assert "Quality of plans (North Somerset)" in email.body
    assert "overdue" not in email.body

    # Daily runs in the same month send nothing more.
    _run("2026-03-28")
    _run("2026-03-31")
    assert len(mailoutbox) == 1
    assert ReminderSent.objects.filter(user=officer).count() == 1


def test_early_in_the_month_only_an_overdue_update_is_chased(mailoutbox, area, officer):
    # Nothing for February: overdue on 3 March; March's own update is not due yet.
    _run("2026-03-03")
    assert len(mailoutbox) == 1
    assert "February 2026 is overdue" in mailoutbox[0].body
    assert "March 2026 is due" not in mailoutbox[0].body
    # At the end of the month the March reminder still goes, once.
    _run(END_OF_MARCH)
    _run("2026-03-30")
    assert len(mailoutbox) == 2
    assert "March 2026 is due" in mailoutbox[1].body
    assert "overdue" not in mailoutbox[1].body


def test_no_reminder_when_the_update_is_submitted(mailoutbox, area, officer):
    for month in (datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)):
        ProgressUpdateFactory(
            area_for_improvement=area, month=month, status=UpdateStatus.SUBMITTED, author=officer
        )
    _run(END_OF_MARCH)
    assert [m.to for m in mailoutbox] == []


def test_a_draft_or_returned_update_is_still_due(mailoutbox, area, officer):
    ProgressUpdateFactory(
        area_for_improvement=area,
        month=datetime.date(2026, 2, 1),
        status=UpdateStatus.APPROVED,
        author=officer,
    )
    ProgressUpdateFactory(
        area_for_improvement=area,
        month=datetime.date(2026, 3, 1),
        status=UpdateStatus.RETURNED,
        author=officer,
    )
    _run(END_OF_MARCH)
    assert len(mailoutbox) == 1


def test_managers_get_one_summary_a_month_of_what_waits(mailoutbox, area, officer, manager):
    for month in (datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)):
        ProgressUpdateFactory(
            area_for_improvement=area, month=month, status=UpdateStatus.SUBMITTED, author=officer
        )
    output = _run(END_OF_MARCH)
    assert "1 to managers" in output
    (email,) = mailoutbox
    assert email.to == [manager.email]
    assert email.subject == "2 progress updates waiting for review"
    assert "North Somerset: 2" in email.body
    _run("2026-03-30")
    assert len(mailoutbox) == 1
    # A new month brings a new summary.
    _run("2026-04-02")
    assert len(mailoutbox) == 2


def test_a_manager_of_another_authority_is_not_told(mailoutbox, area, officer, other_authority):
    from tests.factories import MembershipFactory

    other_manager = UserFactory(username="elsewhere")
    MembershipFactory(user=other_manager, authority=other_authority, role="manager")
    ProgressUpdateFactory(
        area_for_improvement=area,
        month=datetime.date(2026, 3, 1),
        status=UpdateStatus.SUBMITTED,
        author=officer,
    )
    _run(END_OF_MARCH)
    assert all(other_manager.email not in m.to for m in mailoutbox)


def test_people_without_an_email_address_are_counted_not_failed(mailoutbox, area, officer):
    officer.email = ""
    officer.save()
    assert "1 people have no email address" in _run(END_OF_MARCH)
    assert mailoutbox == []


def test_a_bad_date_is_refused():
    with pytest.raises(CommandError, match="--date must be a date"):
        call_command("send_progress_reminders", date="31/03/2026")


def test_no_reminder_for_an_area_a_later_graded_inspection_superseded(mailoutbox, area, officer):
    # The area's inspection is from 2023 (the factory's date); a later one supersedes it.
    InspectionFactory(authority=area.inspection.authority, start_date=datetime.date(2025, 6, 2))
    _run(END_OF_MARCH)
    assert not [m for m in mailoutbox if officer.email in m.to]


def _officer_and_manager_reminded(area, officer) -> None:
    """February's update waits for approval (the manager's summary); March's is due (the
    officer's reminder at the end of March)."""
    ProgressUpdateFactory(
        area_for_improvement=area,
        month=datetime.date(2026, 2, 1),
        status=UpdateStatus.SUBMITTED,
        author=officer,
    )
    _run(END_OF_MARCH)


def _links(body: str) -> list[str]:
    return re.findall(r"(?:https?://|/)\S+", body)


def test_the_links_in_reminders_are_absolute(mailoutbox, area, officer, manager):
    """An email has no page to be relative to: every link starts with settings.SITE_URL, which
    the settings always define (in development, the address `make run` serves on)."""
    _officer_and_manager_reminded(area, officer)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([officer.email, manager.email])
    for email in mailoutbox:
        (link,) = _links(email.body)
        assert re.match(r"https?://[^/\s]+/", link), email.body


def test_the_links_in_reminders_start_with_the_sites_address(
    mailoutbox, settings, area, officer, manager
):
    settings.SITE_URL = "https://ilacs.example.gov.uk"
    _officer_and_manager_reminded(area, officer)
    links = {m.to[0]: _links(m.body) for m in mailoutbox}
    assert links == {
        officer.email: ["https://ilacs.example.gov.uk" + reverse("improvement_plans:my_updates")],
        manager.email: ["https://ilacs.example.gov.uk" + reverse("improvement_plans:review_queue")],
    }
