"""LocalAuthority has moved to accounts (accounts 0002): the inspections' foreign keys point
there, and the model leaves this app's state. Its table stays (it is accounts' now)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_local_authority_moves_here"),
        ("inspections", "0006_archive_import_run"),
        ("reports", "0003_authority_from_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table and its foreign keys stay as they are: only Django's picture moves.
            state_operations=[
                migrations.AlterField(
                    model_name="historicalinspection",
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
                    model_name="inspection",
                    name="authority",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="inspections",
                        to="accounts.localauthority",
                    ),
                ),
                migrations.DeleteModel(
                    name="LocalAuthority",
                ),
            ],
            database_operations=[],
        ),
    ]
