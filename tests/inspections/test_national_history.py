"""The national history rebuilt from the archive and the national spreadsheet
(`manage.py rebuild_national_history`): everything the two hold, and nothing more on a second
run."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import LocalAuthority, StatisticalNeighbour
from inspections.models import Finding, Inspection, Judgement

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SPREADSHEET = FIXTURES / "ilacs_overview_sample.xlsx"


@pytest.fixture
def archive(tmp_path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(FIXTURES / "ofsted-archive" / "80472_hampshire_2019-06-11.pdf", folder)
    shutil.copy(
        FIXTURES / "ofsted-reports" / "gateshead_published-2019-06-11.pdf",
        folder / "80469_gateshead_2019-06-11.pdf",
    )
    shutil.copy(FIXTURES / "ofsted-archive" / "80429_birmingham_2012-10-19.pdf", folder)
    return folder


def _everything():
    return (
        list(LocalAuthority.objects.order_by("pk").values()),
        list(StatisticalNeighbour.objects.order_by("pk").values()),
        list(Inspection.objects.order_by("pk").values()),
        list(Judgement.objects.order_by("pk").values()),
        list(Finding.objects.order_by("pk").values()),
    )


def test_rebuilding_twice_gives_the_same_history(archive):
    out = io.StringIO()
    call_command(
        "rebuild_national_history", str(archive), str(SPREADSHEET), "--jobs", "1", stdout=out
    )
    first = _everything()
    assert "3 files: 2 recorded, 0 already there, 1 refused" in out.getvalue()
    assert Inspection.objects.filter(authority__name__in=["Hampshire", "Gateshead"]).count() >= 2
    spreadsheet_rows = Inspection.objects.exclude(authority__name__in=["Hampshire", "Gateshead"])
    assert spreadsheet_rows.exists()  # the spreadsheet's authorities the archive lacks
    assert len(first[1]) == 1530

    again = io.StringIO()
    call_command(
        "rebuild_national_history", str(archive), str(SPREADSHEET), "--jobs", "1", stdout=again
    )
    assert "3 files: 0 recorded, 2 already there, 1 refused" in again.getvalue()
    assert _everything() == first


def test_a_wrong_path_is_refused_before_anything_is_imported(archive, tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("rebuild_national_history", str(archive), str(tmp_path / "none.xlsx"))
    with pytest.raises(CommandError, match="There is no folder at"):
        call_command("rebuild_national_history", str(tmp_path / "none"), str(SPREADSHEET))
    assert not LocalAuthority.objects.exists() and not Inspection.objects.exists()
