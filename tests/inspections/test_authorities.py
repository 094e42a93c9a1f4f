from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import LocalAuthority
from inspections.services import AUTHORITIES_CSV


@pytest.mark.django_db
def test_it_loads_all_153_authorities_and_a_second_run_adds_nothing(capsys):
    call_command("load_authorities")
    assert LocalAuthority.objects.count() == 153
    first = list(LocalAuthority.objects.order_by("ofsted_urn").values())

    call_command("load_authorities")
    assert LocalAuthority.objects.count() == 153
    assert list(LocalAuthority.objects.order_by("ofsted_urn").values()) == first
    assert "0 created, 0 updated, 153 unchanged" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_keeps_each_authoritys_codes_region_and_type():
    call_command("load_authorities")
    brent = LocalAuthority.objects.get(name="Brent")
    assert (brent.ofsted_urn, brent.la_code, brent.gss_code) == ("80489", "304", "E09000005")
    assert (brent.region, brent.la_type) == ("London", "London Borough")
    assert LocalAuthority.objects.values("region").distinct().count() == 9


@pytest.mark.django_db
def test_it_updates_a_changed_authority_in_place(tmp_path: Path):
    call_command("load_authorities")
    changed = AUTHORITIES_CSV.read_text(encoding="utf-8").replace(
        "80489,304,E09000005,Brent,London,", "80489,304,E09000005,London Borough of Brent,London,"
    )
    path = tmp_path / "authorities.csv"
    path.write_text(changed, encoding="utf-8")
    call_command("load_authorities", str(path))
    assert LocalAuthority.objects.get(ofsted_urn="80489").name == "London Borough of Brent"
    assert LocalAuthority.objects.count() == 153


@pytest.mark.django_db
def test_a_malformed_file_is_refused_and_changes_nothing(tmp_path: Path):
    path = tmp_path / "authorities.csv"
    lines = AUTHORITIES_CSV.read_text(encoding="utf-8").splitlines()
    lines[5] = "80999,,E06000099,Nowhere,South West,Unitary Authority"  # no LA code
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError, match="line 6: la_code is blank"):
        call_command("load_authorities", str(path))
    assert LocalAuthority.objects.count() == 0


@pytest.mark.django_db
def test_a_file_without_the_expected_columns_is_refused(tmp_path: Path):
    path = tmp_path / "authorities.csv"
    path.write_text("urn,name\n1,Somewhere\n", encoding="utf-8")
    with pytest.raises(CommandError, match="has no ofsted_urn, la_code, gss_code"):
        call_command("load_authorities", str(path))
    assert LocalAuthority.objects.count() == 0
