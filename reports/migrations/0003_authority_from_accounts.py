"""The authority foreign keys point at accounts.LocalAuthority (moved from inspections; same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_local_authority_moves_here"),
        ("reports", "0002_final_reports_are_frozen"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table and its foreign keys stay as they are: only Django's picture moves.
            state_operations=[
                migrations.AlterField(
                    model_name="committeereport",
                    name="authority",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="committee_reports",
                        to="accounts.localauthority",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalcommitteereport",
                    name="authority",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.localauthority",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalwordtemplate",
                    name="authority",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.localauthority",
                    ),
                ),
                migrations.AlterField(
                    model_name="wordtemplate",
                    name="authority",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="word_template",
                        to="accounts.localauthority",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
