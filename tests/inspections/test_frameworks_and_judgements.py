import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inspections.models import Framework, Judgement, JudgementArea
from tests.factories import InspectionFactory, JudgementFactory, judgement_area

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (datetime.date(2015, 9, 14), "SIF-2013"),
        (datetime.date(2017, 12, 31), "SIF-2013"),
        (datetime.date(2018, 1, 1), "ILACS-2018"),
        # Started in November 2022, published in January 2023: the start date decides.
        (datetime.date(2022, 11, 21), "ILACS-2018"),
        (datetime.date(2023, 2, 6), "ILACS-2023"),
        (datetime.date(2026, 3, 31), "ILACS-2023"),
        (datetime.date(2026, 5, 11), "ILACS-2026"),
    ],
)
def test_the_framework_is_the_one_in_force_when_the_inspection_started(start, expected):
    assert Framework.in_force_on(start).code == expected


def test_an_inspection_published_after_a_new_framework_keeps_its_start_dates_framework():
    inspection = InspectionFactory(
        start_date=datetime.date(2022, 11, 21),
        end_date=datetime.date(2022, 12, 2),
        published_date=datetime.date(2023, 1, 20),
    )
    assert inspection.framework.code == "ILACS-2018"


def test_there_is_no_framework_before_the_sif():
    with pytest.raises(
        ValidationError, match="No inspection framework was in force on 1 January 2010"
    ):
        Framework.in_force_on(datetime.date(2010, 1, 1))


def _codes(framework_code):
    return list(
        JudgementArea.objects.filter(framework__code=framework_code).values_list("code", flat=True)
    )


def test_each_framework_has_its_own_judgement_areas():
    assert _codes("ILACS-2018") == [
        "impact_of_leaders",
        "help_and_protection",
        "children_in_care_and_care_leavers",
        "overall_effectiveness",
    ]
    assert _codes("ILACS-2023") == [
        "impact_of_leaders",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
        "overall_effectiveness",
    ]
    assert "lscb" in _codes("SIF-2013")
    adoption = JudgementArea.objects.get(framework__code="SIF-2013", code="adoption_performance")
    assert adoption.parent.code == "looked_after_and_permanence"


def test_an_inspection_started_in_may_2026_has_no_overall_effectiveness():
    inspection = InspectionFactory(
        start_date=datetime.date(2026, 5, 11), end_date=datetime.date(2026, 5, 15)
    )
    assert inspection.framework.code == "ILACS-2026"
    assert "overall_effectiveness" not in _codes("ILACS-2026")
    assert len(_codes("ILACS-2026")) == 4


def test_a_judgement_for_an_area_outside_the_framework_is_rejected_with_a_clear_message():
    inspection = InspectionFactory(start_date=datetime.date(2023, 3, 13))  # ILACS-2023
    old_area = JudgementArea.objects.get(
        framework__code="ILACS-2018", code="children_in_care_and_care_leavers"
    )
    judgement = Judgement(inspection=inspection, area=old_area, grade="good")
    with pytest.raises(ValidationError) as error:
        judgement.full_clean()
    assert error.value.message_dict["area"] == [
        "“The experiences and progress of children in care and care leavers” is not a judgement "
        "area of the ILACS-2023 framework, which this inspection was under"
    ]


def test_a_visit_has_no_judgements():
    visit = InspectionFactory(event_type="focused_visit")
    judgement = Judgement(
        inspection=visit, area=judgement_area(visit, "help_and_protection"), grade="good"
    )
    with pytest.raises(ValidationError, match="A focused visit has no judgements"):
        judgement.full_clean()


def test_the_database_holds_one_judgement_per_area():
    judgement = JudgementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Judgement.objects.create(
            inspection=judgement.inspection, area=judgement.area, grade="inadequate"
        )
    assert Judgement.objects.count() == 1


def test_a_second_judgement_for_an_area_is_refused_by_validation_with_a_message():
    judgement = JudgementFactory()
    duplicate = Judgement(inspection=judgement.inspection, area=judgement.area, grade="inadequate")
    with pytest.raises(ValidationError, match="already has a grade for that judgement area"):
        duplicate.full_clean()


def test_the_database_refuses_an_end_date_before_the_start_date():
    inspection = InspectionFactory()
    inspection.end_date = inspection.start_date - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        inspection.save()


def test_validation_explains_an_end_date_before_the_start_date():
    inspection = InspectionFactory.build(
        start_date=datetime.date(2023, 3, 13), end_date=datetime.date(2023, 3, 1)
    )
    inspection.authority.save()
    with pytest.raises(
        ValidationError, match="The end date must be the same as or after the start date"
    ):
        inspection.full_clean()


def test_an_inspection_must_be_under_the_framework_of_its_start_date():
    inspection = InspectionFactory.build(start_date=datetime.date(2023, 3, 13))
    inspection.authority.save()
    inspection.framework = Framework.objects.get(code="ILACS-2018")
    with pytest.raises(
        ValidationError, match="started on 13 March 2023 is under ILACS-2023, not ILACS-2018"
    ):
        inspection.full_clean()


def test_changes_to_inspections_and_judgements_are_kept_in_the_history(administrator):
    judgement = JudgementFactory(grade="good")
    judgement.grade = "outstanding"
    judgement._history_user = administrator
    judgement.save()
    history = judgement.history.order_by("history_date")
    assert [h.grade for h in history] == ["good", "outstanding"]
    assert history.last().history_user == administrator
    assert judgement.inspection.history.count() == 1
