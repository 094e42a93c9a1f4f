"""The (id, history_date) index on the inspections' history, which the *as at* picture reads
(when the authority published each report, as recorded then): see improvement_plans 0002. An
index only: no table is rebuilt, so the dashboards' stamp triggers stay in place."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0007_local_authority_moves_to_accounts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="historicalinspection",
            index=models.Index(fields=["id", "history_date"], name="hist_inspection_as_at"),
        ),
    ]
