import pytest

from inspections.models import Inspection
from tests.conftest import seed_demo_data


@pytest.fixture
def demo(db):
    """The demo data as `make run` loads it, with "today" fixed (tests.conftest.DEMO_TODAY).
    Seeded for each test: these modules also hold tests that must not see it."""
    seed_demo_data()


@pytest.fixture
def north_somerset_2023(demo) -> Inspection:
    return Inspection.objects.select_related("authority").get(
        authority__name="North Somerset", start_date="2023-03-13"
    )
