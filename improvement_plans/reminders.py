"""Monthly reminders by email: officers whose update is due or overdue, managers with updates
waiting for review. Safe to run every day: each person gets at most one reminder of each kind
per month, recorded in ReminderSent (its unique constraint holds even if two runs overlap)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.months import month_start, previous_month
from improvement_plans.models import ReminderSent
from improvement_plans.selectors import reminder_recipients

# Officers are reminded of this month's update in the month's last days; an overdue update from
# last month is chased at once.
DUE_SOON_DAYS = 7


@dataclass
class ReminderResult:
    officers: int = 0
    managers: int = 0
    skipped_no_email: int = 0


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _link(path: str) -> str:
    """An absolute link (settings.SITE_URL, required in production): an email has no page."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _claim(user, month: datetime.date, kind: str) -> bool:
    """Records that `user` is reminded of `month`; False if they already were."""
    try:
        with transaction.atomic():
            _, created = ReminderSent.objects.get_or_create(user=user, month=month, kind=kind)
    except IntegrityError:  # another run claimed it at the same moment
        return False
    return created


def _area_lines(areas) -> list[str]:
    return [f"- {a.title} ({a.inspection.authority.name})" for a in areas]


def reminders_send(*, today: datetime.date) -> ReminderResult:
    result = ReminderResult()
    month = month_start(today)
    last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    due_soon = (last_day - today).days < DUE_SOON_DAYS
    my_updates = _link(reverse("improvement_plans:my_updates"))

    recipients = reminder_recipients(today=today)
    for officer, (due, overdue) in recipients.officers.items():
        if not officer.email:
            result.skipped_no_email += 1
            continue
        with transaction.atomic():
            lines = []
            if overdue and _claim(officer, previous_month(month), ReminderSent.Kind.OFFICER_DUE):
                lines += [
                    f"Your update for {previous_month(month):%B %Y} is overdue for:",
                    *_area_lines(overdue),
                    "",
                ]
            if due and due_soon and _claim(officer, month, ReminderSent.Kind.OFFICER_DUE):
                lines += [
                    f"Your update for {month:%B %Y} is due by {last_day.day} {last_day:%B} for:",
                    *_area_lines(due),
                    "",
                ]
            if not lines:
                continue
            send_mail(
                subject="Monthly progress updates due",
                message="\n".join(
                    [f"Dear {_name(officer)},", "", *lines, f"Log your updates at {my_updates}"]
                ),
                from_email=None,
                recipient_list=[officer.email],
            )
            result.officers += 1

    review = _link(reverse("improvement_plans:review_queue"))
    for manager, waiting in recipients.managers.items():
        if not manager.email:
            result.skipped_no_email += 1
            continue
        with transaction.atomic():
            if not _claim(manager, month, ReminderSent.Kind.MANAGER_SUMMARY):
                continue
            total = sum(count for _, count in waiting)
            send_mail(
                subject=f"{total} progress update{'s' if total != 1 else ''} waiting for review",
                message="\n".join(
                    [
                        f"Dear {_name(manager)},",
                        "",
                        "These monthly progress updates are waiting for your review:",
                        *[f"- {authority.name}: {count}" for authority, count in waiting],
                        "",
                        f"Review them at {review}",
                    ]
                ),
                from_email=None,
                recipient_list=[manager.email],
            )
            result.managers += 1
    return result
