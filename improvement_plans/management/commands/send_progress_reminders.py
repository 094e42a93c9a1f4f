"""Emails monthly progress reminders. Safe to run daily (e.g. from cron): nobody gets the same
reminder twice in a month."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from improvement_plans.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Emails officers whose monthly update is due or overdue, and managers a summary of the "
        "updates waiting for their review. At most one of each per person per month."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Run as if today were this date (YYYY-MM-DD); for catching up or testing",
        )

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date must be a date like 2026-03-31, not {date!r}") from None
        result = reminders_send(today=today)
        self.stdout.write(
            f"Reminders sent: {result.officers} to officers, {result.managers} to managers"
            + (
                f"; {result.skipped_no_email} people have no email address"
                if result.skipped_no_email
                else ""
            )
        )
