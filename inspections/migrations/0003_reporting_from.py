from django.db import migrations, models


def from_first_membership(apps, schema_editor):
    """An authority already using the app has reported from the month its first person joined
    (the nearest record of when it started); the month before that is not chased."""
    LocalAuthority = apps.get_model("inspections", "LocalAuthority")
    Membership = apps.get_model("accounts", "Membership")
    first = {}
    for authority_id, created_at in Membership.objects.order_by("created_at").values_list(
        "authority_id", "created_at"
    ):
        first.setdefault(authority_id, created_at.date().replace(day=1))
    for authority_id, month in first.items():
        LocalAuthority.objects.filter(pk=authority_id).update(reporting_from=month)


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_frameworks"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="localauthority",
            name="reporting_from",
            field=models.DateField(
                blank=True,
                help_text="The first month the authority reports its monthly progress in the app. "
                "No month before it is due, overdue or chased by a reminder "
                "(improvement_plans.rules); managers can still record earlier months.",
                null=True,
                verbose_name="reports progress in the app from",
            ),
        ),
        migrations.RunPython(from_first_membership, migrations.RunPython.noop),
    ]
