"""The (id, history_date) index on the histories that the *as at* picture is rebuilt from
(core.models.AsAtHistoricalRecords, improvement_plans.records.as_of_rows). Indexes only: no
table is rebuilt, so the dashboards' stamp triggers (dashboards 0002, 0003) stay in place."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("improvement_plans", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="historicalaction",
            index=models.Index(fields=["id", "history_date"], name="hist_action_as_at"),
        ),
        migrations.AddIndex(
            model_name="historicalimprovementplan",
            index=models.Index(fields=["id", "history_date"], name="hist_improvementplan_as_at"),
        ),
        migrations.AddIndex(
            model_name="historicalprogressupdate",
            index=models.Index(fields=["id", "history_date"], name="hist_progressupdate_as_at"),
        ),
    ]
