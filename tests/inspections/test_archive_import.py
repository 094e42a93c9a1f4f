"""Importing a folder of real Ofsted report PDFs (import_ofsted_archive), checking one
(check_ofsted_archive), the administrators' page of the last run, and matching authorities by
URN and by the names reports use."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import LocalAuthority
from inspections.importers import match_authority
from inspections.models import ArchiveImportFile, ArchiveImportRun, Finding, Inspection, Judgement
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ARCHIVE = FIXTURES / "ofsted-archive"
REPORTS = FIXTURES / "ofsted-reports"


@pytest.fixture
def authorities(db):
    call_command("load_authorities", stdout=io.StringIO())


@pytest.fixture
def folder(tmp_path) -> Path:
    """Four files as the archive holds them: two reports, a board review, a saved error page."""
    shutil.copy(ARCHIVE / "80472_hampshire_2019-06-11.pdf", tmp_path)
    # The hand-checked Gateshead report under its archive name (URN 80469).
    shutil.copy(
        REPORTS / "gateshead_published-2019-06-11.pdf", tmp_path / "80469_gateshead_2019-06-11.pdf"
    )
    shutil.copy(ARCHIVE / "80567_surrey_2015-08-03.pdf", tmp_path)
    shutil.copy(ARCHIVE / "80429_birmingham_2012-10-19.pdf", tmp_path)
    return tmp_path


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_records_each_report_and_refuses_the_rest_with_reasons(authorities, folder):
    out = run("import_ofsted_archive", str(folder), "--jobs", "2")
    lines = out.splitlines()
    assert lines[0].startswith("80429_birmingham_2012-10-19.pdf: refused: The file is not a PDF")
    assert lines[1].startswith("80469_gateshead_2019-06-11.pdf: recorded: Gateshead, short")
    assert lines[2].startswith("80472_hampshire_2019-06-11.pdf: recorded: Hampshire, short")
    assert "80567_surrey_2015-08-03.pdf: refused: This is a review of the Local Safeguarding" in out
    assert "4 files: 2 recorded, 0 already there, 2 refused" in out
    hampshire = Inspection.objects.get(authority__name="Hampshire")
    assert hampshire.lead_inspector == "Donna Marriott"
    assert hampshire.judgements.count() == 4
    assert hampshire.findings.count() == 2
    run_ = ArchiveImportRun.objects.get()
    assert run_.jobs == 2
    assert {f.filename: f.outcome for f in run_.files.all()} == {
        "80429_birmingham_2012-10-19.pdf": "refused",
        "80469_gateshead_2019-06-11.pdf": "recorded",
        "80472_hampshire_2019-06-11.pdf": "recorded",
        "80567_surrey_2015-08-03.pdf": "refused",
    }


def test_a_second_run_finds_everything_already_there(authorities, folder):
    run("import_ofsted_archive", str(folder), "--jobs", "1")
    counts = (Inspection.objects.count(), Judgement.objects.count(), Finding.objects.count())
    out = run("import_ofsted_archive", str(folder), "--jobs", "1")
    assert "4 files: 0 recorded, 2 already there, 2 refused" in out
    assert "80472_hampshire_2019-06-11.pdf: already there: Hampshire: Short inspection" in out
    assert (Inspection.objects.count(), Judgement.objects.count(), Finding.objects.count()) == (
        counts
    )
    latest = ArchiveImportRun.objects.first()
    assert latest.files.filter(outcome="already_there").count() == 2
    assert ArchiveImportRun.objects.count() == 2


def test_a_dry_run_saves_nothing(authorities, folder):
    out = run("import_ofsted_archive", str(folder), "--dry-run", "--jobs", "1")
    assert "80472_hampshire_2019-06-11.pdf: would record: Hampshire" in out
    assert "Dry run, nothing saved. 4 files: 2 would be recorded" in out
    assert Inspection.objects.count() == 0
    assert ArchiveImportRun.objects.count() == ArchiveImportFile.objects.count() == 0


def test_bad_arguments_are_refused_clearly(authorities, tmp_path):
    with pytest.raises(CommandError, match="There is no folder at"):
        run("import_ofsted_archive", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match=r"There are no \.pdf files in"):
        run("import_ofsted_archive", str(tmp_path))
    with pytest.raises(CommandError, match="jobs must be 1 or more"):
        run("import_ofsted_archive", str(tmp_path), "--jobs", "0")


def test_the_archive_check_counts_outcomes_and_lists_implausible_results(authorities, folder):
    # Filed under another authority's URN: the check says the name and the URN disagree.
    (folder / "80469_gateshead_2019-06-11.pdf").rename(folder / "80472_gateshead_2019-06-11.pdf")
    out = run("check_ofsted_archive", str(folder), "--jobs", "1")
    assert "4 files checked" in out
    assert "  would be recorded: 2" in out  # recorded under the URN: the file name wins
    assert "  refused: 2" in out
    assert "  crashed: 0" in out
    assert (
        "80472_gateshead_2019-06-11.pdf: authority “Gateshead Borough Council” (matches "
        "Gateshead) disagrees with URN 80472 in the file name"
    ) in out
    assert Inspection.objects.count() == 0


# --- Matching authorities -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "authority"),
    [
        ("Metropolitan Borough of Rotherham", "Rotherham"),
        ("Derby City", "Derby"),
        ("Hull", "Kingston Upon Hull, City of"),
        ("Newcastle", "Newcastle upon Tyne"),
        ("East Riding", "East Riding of Yorkshire"),
        ("Borough of Redcar and Cleveland", "Redcar and Cleveland"),
        ("Medway Children’s Services", "Medway"),
        ("Calderdale Metropolitan Council", "Calderdale"),
        ("BCP", "Bournemouth, Christchurch and Poole"),
        ("Cheshire East Unitary Authority", "Cheshire East"),
        ("the Isle of Wight", "Isle of Wight"),
        ("local authority", None),
        ("Lincolnshire", "Lincolnshire"),
    ],
)
def test_authorities_are_matched_by_alias_and_usual_council_wording(authorities, name, authority):
    found = match_authority(name)
    assert (found.name if found else None) == authority


def test_the_urn_decides_when_given(authorities):
    assert match_authority("local authority", urn="80472").name == "Hampshire"
    assert match_authority(None, urn=80472).name == "Hampshire"
    # An unknown URN falls back on the name.
    assert match_authority("Gateshead", urn="1").name == "Gateshead"


def test_matching_is_one_query(authorities, django_assert_num_queries):
    with django_assert_num_queries(1):  # every authority, compared in Python
        match_authority("Newcastle")


def test_matching_against_authorities_read_once_makes_no_query(
    authorities, django_assert_num_queries
):
    every_authority = list(LocalAuthority.objects.all())
    with django_assert_num_queries(0):  # an archive run reads them once for all its files
        assert match_authority("Newcastle", authorities=every_authority).name == (
            "Newcastle upon Tyne"
        )
        assert match_authority(None, urn=80472, authorities=every_authority).name == "Hampshire"


# --- The administrators' page ---------------------------------------------------------------------


def test_the_page_shows_the_last_run_per_file(authorities, folder, client, administrator):
    run("import_ofsted_archive", str(folder), "--jobs", "1")
    client.force_login(administrator)
    response = client.get(reverse("inspections:archive_import_run"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "80472_hampshire_2019-06-11.pdf" in text
    assert "Hampshire: Short inspection starting 29 April 2019" in text
    assert "This is a review of the Local Safeguarding Children Board on its own" in text


def test_the_page_says_when_nothing_was_imported(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("inspections:archive_import_run"))
    assert "has not been imported yet" in response.content.decode()


def test_it_requires_an_administrator(client, authority):
    client.force_login(UserFactory(username="someone"))
    assert client.get(reverse("inspections:archive_import_run")).status_code == 403


def test_the_page_runs_a_fixed_number_of_queries(
    client, administrator, authority, django_assert_num_queries
):
    archive_run = ArchiveImportRun.objects.create(
        directory="/data", jobs=2, started_at="2025-01-01T10:00Z"
    )
    for number in range(30):
        ArchiveImportFile.objects.create(
            run=archive_run, filename=f"{number}.pdf", outcome="refused", detail="Not a PDF"
        )
    client.force_login(administrator)
    # 1 session, 2 user, 3 the last run, 4 its files with their inspections and authorities,
    # 5-7 savepoint, session expiry pushed back, release
    with django_assert_num_queries(7):
        response = client.get(reverse("inspections:archive_import_run"))
    assert response.content.decode().count("Not a PDF") == 30
    assert LocalAuthority.objects.exists()


def test_a_single_archive_file_is_matched_by_the_urn_in_its_name(authorities, tmp_path):
    # Titled "Inspection of local authority children's services": the name is above the title,
    # and the URN in the file name settles it.
    path = tmp_path / "80472_hampshire_2019-06-11.pdf"
    shutil.copy(ARCHIVE / path.name, path)
    assert "Recorded Hampshire: short inspection" in run("import_ofsted_report", str(path))


def test_an_import_refreshes_the_dashboards_once_for_every_authority_it_changed(
    authorities, folder, monkeypatch, django_capture_on_commit_callbacks
):
    """Each file is saved in its own transaction; the dashboards' refresh (dashboards.tasks),
    which each transaction would ask for, runs once at the end for all of them (core.bulk)."""
    from dashboards import tasks

    enqueued = []
    monkeypatch.setattr(
        tasks, "refresh", type("R", (), {"enqueue": lambda self, *a: enqueued.append(a)})()
    )
    with django_capture_on_commit_callbacks(execute=True):
        run("import_ofsted_archive", str(folder), "--jobs", "1")

    changed = sorted(
        LocalAuthority.objects.filter(name__in=["Gateshead", "Hampshire"]).values_list(
            "pk", flat=True
        )
    )
    assert [ids for ids, _day in enqueued] == [changed]
