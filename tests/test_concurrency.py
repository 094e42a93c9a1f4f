import pytest
from django.core.exceptions import ValidationError

from core.concurrency import EditConflict, save_versioned
from tests.factories import FindingFactory

pytestmark = pytest.mark.django_db


def test_a_save_at_the_current_version_goes_through_and_bumps_it(officer):
    finding = FindingFactory()
    finding.title = "Management oversight"
    save_versioned(finding, expected_version=1, user=officer)
    finding.refresh_from_db()
    assert (finding.title, finding.version) == ("Management oversight", 2)
    assert finding.history.first().history_user == officer


def test_a_stale_save_is_refused_with_who_changed_it_and_their_version(officer, manager):
    finding = FindingFactory(title="Original")
    theirs = type(finding).objects.get(pk=finding.pk)
    theirs.title = "Manager's wording"
    save_versioned(theirs, expected_version=1, user=manager)

    finding.title = "Officer's wording"
    with pytest.raises(EditConflict) as conflict:
        save_versioned(finding, expected_version=1, user=officer)
    assert conflict.value.current.title == "Manager's wording"
    assert conflict.value.changed_by == manager
    assert "after you opened it" in conflict.value.message
    finding.refresh_from_db()
    assert (finding.title, finding.version) == ("Manager's wording", 2)


def test_an_invalid_save_changes_nothing(officer):
    finding = FindingFactory(title="Original")
    finding.title = ""
    with pytest.raises(ValidationError):
        save_versioned(finding, expected_version=1, user=officer)
    finding.refresh_from_db()
    assert (finding.title, finding.version) == ("Original", 1)


def test_their_version_puts_each_field_in_words(officer):
    from core.concurrency import their_version
    from tests.factories import InspectionFactory, judgement_area

    inspection = InspectionFactory()
    officer.first_name, officer.last_name = "Olive", "Officer"
    officer.save()
    finding = FindingFactory(
        inspection=inspection,
        lead=officer,
        judgement_area=judgement_area(inspection, "care_leavers"),
        title="Pathway plans",
    )
    rows = dict(
        their_version(finding, ["version", "kind", "title", "lead", "judgement_area", "nope"])
    )
    assert rows == {
        "Kind": "Area for improvement",
        "Short title": "Pathway plans",
        "Lead": "Olive Officer",
        "Judgement area": str(finding.judgement_area),
    }
    assert "(ILACS-" in rows["Judgement area"]  # the area by name, not by id
