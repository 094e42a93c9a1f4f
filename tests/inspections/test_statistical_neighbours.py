"""DfE's statistical neighbours, loaded with the authorities from the project's copy of
data-to-insight's lookup, and refreshed from a newer file."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import LocalAuthority, StatisticalNeighbour
from inspections.services import NEIGHBOURS_CSV
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def neighbours_of(name: str) -> list[str]:
    return list(
        StatisticalNeighbour.objects.filter(authority__name=name)
        .order_by("rank")
        .values_list("neighbour__name", flat=True)
    )


def test_all_153_authorities_get_their_ten_neighbours_and_the_predecessors_are_named():
    out = run("load_authorities")
    assert LocalAuthority.objects.count() == 153
    for authority in LocalAuthority.objects.all():
        links = list(authority.neighbour_links.order_by("rank").values_list("rank", flat=True))
        assert links == list(range(1, 11)), authority.name
    assert StatisticalNeighbour.objects.count() == 1530
    # The lookup's three rows for authorities that no longer exist are left out, by name.
    assert (
        "left out, as authorities that no longer exist: Cumbria (909), Northamptonshire (928), "
        "Poole (836)" in out
    )
    # Closest first, as DfE lists them (the lookup's row for Barking and Dagenham, 301).
    assert neighbours_of("Barking and Dagenham")[:3] == ["Enfield", "Luton", "Hounslow"]
    # Successors of the predecessors have their own lists.
    assert len(neighbours_of("Cumberland")) == 10
    assert len(neighbours_of("North Northamptonshire")) == 10


def test_a_second_load_changes_nothing():
    run("load_authorities")
    first = list(StatisticalNeighbour.objects.order_by("pk").values())
    out = run("load_authorities")
    assert "1530 for 153 authorities, 0 lists changed" in out
    assert list(StatisticalNeighbour.objects.order_by("pk").values()) == first


def test_a_newer_file_replaces_the_lists_that_changed(tmp_path: Path):
    run("load_authorities")
    text = NEIGHBOURS_CSV.read_text(encoding="utf-8-sig")
    # Barnet's list (302) with its first two neighbours swapped.
    old = '302,E09000003,"320, 870,'
    assert old in text
    path = tmp_path / "newer.csv"
    path.write_text(text.replace(old, '302,E09000003,"870, 320,'), encoding="utf-8")
    before = neighbours_of("Barnet")
    out = run("load_statistical_neighbours", str(path))
    assert "1 lists changed" in out
    assert neighbours_of("Barnet") == [before[1], before[0], *before[2:]]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('302,E09000003,"320,', '302,E09000003,"999,'), "Barnet's neighbour 999 is not the DfE"),
        (('302,E09000003,"320,', '302,E09000003,"302,'), "Barnet is listed as its own neighbour"),
        (
            ('302,E09000003,"320, 870,', '302,E09000003,"320, 320,'),
            "Barnet lists Waltham Forest twice",
        ),
    ],
)
def test_a_bad_file_is_refused_with_the_reason_and_changes_nothing(tmp_path, edit, message):
    run("load_authorities")
    before = list(StatisticalNeighbour.objects.order_by("pk").values())
    path = tmp_path / "bad.csv"
    text = NEIGHBOURS_CSV.read_text(encoding="utf-8-sig")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1]), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("load_statistical_neighbours", str(path))
    assert list(StatisticalNeighbour.objects.order_by("pk").values()) == before


def test_a_file_without_the_columns_or_not_a_csv_is_refused(tmp_path):
    run("load_authorities")
    path = tmp_path / "wrong.csv"
    path.write_text("urn,name\n1,Somewhere\n", encoding="utf-8")
    with pytest.raises(CommandError, match="has no la_code, stat_neighbours"):
        run("load_statistical_neighbours", str(path))
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError, match="not a CSV file in UTF-8"):
        run("load_statistical_neighbours", str(path))
    with pytest.raises(CommandError, match="There is no file at"):
        run("load_statistical_neighbours", str(tmp_path / "missing.csv"))
    assert StatisticalNeighbour.objects.count() == 1530


def test_neighbours_need_the_authorities_first():
    with pytest.raises(CommandError, match="Load the authorities first"):
        run("load_statistical_neighbours")


def test_the_database_refuses_an_authority_as_its_own_neighbour(authority):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatisticalNeighbour.objects.create(authority=authority, neighbour=authority, rank=1)


def test_the_authority_page_lists_its_neighbours_closest_first_for_anyone_signed_in(client):
    run("load_authorities")
    barnet = LocalAuthority.objects.get(name="Barnet")
    client.force_login(UserFactory(username="no-role-anywhere"))
    html = client.get(reverse("improvement_plans:authority_detail", args=[barnet.pk])).content
    html = html.decode()
    section = html[html.index('id="neighbours"') :]
    positions = [section.index(f">{name}</a>") for name in neighbours_of("Barnet")]
    assert positions == sorted(positions) and len(positions) == 10
    assert neighbours_of("Barnet")[:2] == ["Waltham Forest", "Reading"]
    waltham = LocalAuthority.objects.get(name="Waltham Forest")
    assert reverse("improvement_plans:authority_detail", args=[waltham.pk]) in section
