"""Calendar months: progress updates are monthly and deadlines are counted in months."""

import calendar
import datetime


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier); the 31st becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def previous_month(month: datetime.date) -> datetime.date:
    return add_months(month_start(month), -1)


def next_month(month: datetime.date) -> datetime.date:
    return add_months(month_start(month), 1)
