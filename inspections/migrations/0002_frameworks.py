"""Loads Ofsted's inspection frameworks and their judgement areas (docs/domain.md,
"Frameworks and judgement areas").

These are reference data: a new framework (one is announced for 2027) is added as rows, in the
admin or by a later migration like this one, not by changing code.
"""

import datetime

from django.db import migrations

OVERALL = ("overall_effectiveness", "Overall effectiveness", "Overall effectiveness")
LEADERS = (
    "impact_of_leaders",
    "The impact of leaders on social work practice with children and families",
    "Impact of leaders",
)
HELP = (
    "help_and_protection",
    "The experiences and progress of children who need help and protection",
    "Help and protection",
)
IN_CARE = (
    "children_in_care",
    "The experiences and progress of children in care",
    "Children in care",
)
CARE_LEAVERS = (
    "care_leavers",
    "The experiences and progress of care leavers",
    "Care leavers",
)

FRAMEWORKS = [
    (
        "SIF-2013",
        "Single inspection framework (2013)",
        datetime.date(2013, 11, 1),
        [
            OVERALL,
            ("help_and_protection", "Children who need help and protection", "Help and protection"),
            (
                "looked_after_and_permanence",
                "Children looked after and achieving permanence",
                "Looked after and permanence",
            ),
            (
                "adoption_performance",
                "Adoption performance",
                "Adoption performance",
                "looked_after_and_permanence",
            ),
            (
                "care_leavers",
                "Experiences and progress of care leavers",
                "Care leavers",
                "looked_after_and_permanence",
            ),
            (
                "leadership_management_governance",
                "Leadership, management and governance",
                "Leadership, management and governance",
            ),
            (
                "lscb",
                "Review of the effectiveness of the Local Safeguarding Children Board",
                "LSCB review",
            ),
        ],
    ),
    (
        "ILACS-2018",
        "Inspecting local authority children's services (2018)",
        datetime.date(2018, 1, 1),
        [
            LEADERS,
            HELP,
            (
                "children_in_care_and_care_leavers",
                "The experiences and progress of children in care and care leavers",
                "Children in care and care leavers",
            ),
            OVERALL,
        ],
    ),
    (
        "ILACS-2023",
        "Inspecting local authority children's services (2023)",
        datetime.date(2023, 1, 1),
        [LEADERS, HELP, IN_CARE, CARE_LEAVERS, OVERALL],
    ),
    (
        "ILACS-2026",
        "Inspecting local authority children's services (2026)",
        datetime.date(2026, 4, 1),
        [LEADERS, HELP, IN_CARE, CARE_LEAVERS],
    ),
]


def load_frameworks(apps, schema_editor):
    Framework = apps.get_model("inspections", "Framework")
    JudgementArea = apps.get_model("inspections", "JudgementArea")
    for code, name, starts_on, areas in FRAMEWORKS:
        framework, _ = Framework.objects.update_or_create(
            code=code, defaults={"name": name, "starts_on": starts_on}
        )
        by_code = {}
        for order, (area_code, area_name, short_name, *parent) in enumerate(areas, start=1):
            area, _ = JudgementArea.objects.update_or_create(
                framework=framework,
                code=area_code,
                defaults={
                    "name": area_name,
                    "short_name": short_name,
                    "order": order,
                    "parent": by_code[parent[0]] if parent else None,
                },
            )
            by_code[area_code] = area


def remove_frameworks(apps, schema_editor):
    Framework = apps.get_model("inspections", "Framework")
    JudgementArea = apps.get_model("inspections", "JudgementArea")
    codes = [code for code, *_ in FRAMEWORKS]
    JudgementArea.objects.filter(framework__code__in=codes, parent__isnull=False).delete()
    JudgementArea.objects.filter(framework__code__in=codes).delete()
    Framework.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(load_frameworks, remove_frameworks)]
