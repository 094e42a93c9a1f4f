"""Who submitted each update (four eyes: its author and its submitter may not review it).

Updates already submitted take their submitter from their history (the person who last saved
them as submitted), or their author when the history does not say.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def submitters_from_history(apps, schema_editor):
    ProgressUpdate = apps.get_model("improvement_plans", "ProgressUpdate")
    History = apps.get_model("improvement_plans", "HistoricalProgressUpdate")
    last_submitter = (
        History.objects.filter(id=OuterRef("pk"), status="submitted", history_user__isnull=False)
        .order_by("-history_date", "-history_id")
        .values("history_user_id")[:1]
    )
    ProgressUpdate.objects.filter(submitted_at__isnull=False).update(
        submitted_by=Coalesce(Subquery(last_submitter), F("author"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("improvement_plans", "0002_history_as_at_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalprogressupdate",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="progressupdate",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="submitted_progress_updates",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(submitters_from_history, migrations.RunPython.noop),
    ]
