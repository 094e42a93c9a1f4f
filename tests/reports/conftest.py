import datetime

import pytest
from django.core.management import call_command

from ilacs.demo import DemoSeeder
from inspections.models import Inspection

DEMO_TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def demo(db):
    """The demo data as `make run` loads it, with "today" fixed."""
    call_command("load_authorities", verbosity=0)
    DemoSeeder(today=DEMO_TODAY).run()


@pytest.fixture
def north_somerset_2023(demo) -> Inspection:
    return Inspection.objects.select_related("authority").get(
        authority__name="North Somerset", start_date="2023-03-13"
    )
