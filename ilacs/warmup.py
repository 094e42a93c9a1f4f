"""What a new server process loads once, before its first request, instead of during it.

gunicorn (`gunicorn.conf.py`) loads the app in its master process and calls `warm()` there before
the workers fork, so every worker starts with it loaded and shares the memory. Without it, the
first request of each kind in each worker pays for it: about 1.5 s the first time a page needs
England's bank holidays (the `holidays` package's country tables), and the first render of each
page's template."""

import datetime
import gc

from django.template.loader import get_template
from django.urls import get_resolver

from inspections import deadlines

# The pages people open most, and those whose first render is the slowest to compile.
TEMPLATES = (
    "base.html",
    "ilacs/home.html",
    "dashboards/authority.html",
    "dashboards/portfolio.html",
    "improvement_plans/area_detail.html",
    "improvement_plans/my_updates.html",
    "improvement_plans/update_form.html",
    "improvement_plans/review_queue.html",
)


def warm(today: datetime.date | None = None) -> None:
    today = today or datetime.date.today()
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    # Working days are counted across a year's end: last year's, this year's and next year's.
    for year in (today.year - 1, today.year, today.year + 1):
        deadlines.is_working_day(datetime.date(year, 1, 1))
    for name in TEMPLATES:
        get_template(name)


def freeze() -> None:
    """Sets everything the master has loaded (Django, the app, WeasyPrint, the templates: some
    hundreds of thousands of objects that live as long as the process) aside from the garbage
    collector, before the workers fork. Without it, each full collection in a worker walks them
    all: a pause of about 230 ms in the middle of a request, now and then, measured on an API
    list (14 ms with them set aside). The workers also keep sharing those pages of memory with
    the master instead of copying them as the collector touches them."""
    gc.collect()
    gc.freeze()
