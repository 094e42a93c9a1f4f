"""LocalAuthority moves from the inspections app to accounts (the tenancy layer), keeping its
table (inspections_localauthority), rows and foreign keys: a change of Django's state only. Its
content type (admin log, permissions) moves with it."""

import django.db.models.deletion
from django.db import migrations, models


def _content_type_moves(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="inspections", model="localauthority").first()
    if old is None:
        return  # a new database: the content type is made after migrating
    ContentType.objects.filter(app_label="accounts", model="localauthority").delete()
    old.app_label = "accounts"
    old.save(update_fields=["app_label"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        # Their migrations read the authorities' table as the inspections app's: they run first.
        ("dashboards", "0003_stamp_triggers_after_table_rebuilds"),
        ("reports", "0002_final_reports_are_frozen"),
        ("inspections", "0006_archive_import_run"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The table and its foreign keys stay as they are: only Django's picture moves.
            state_operations=[
                migrations.CreateModel(
                    name="LocalAuthority",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "ofsted_urn",
                            models.CharField(max_length=10, unique=True, verbose_name="Ofsted URN"),
                        ),
                        (
                            "la_code",
                            models.CharField(max_length=3, unique=True, verbose_name="DfE LA code"),
                        ),
                        (
                            "gss_code",
                            models.CharField(
                                max_length=9, unique=True, verbose_name="ONS GSS code"
                            ),
                        ),
                        ("name", models.CharField(max_length=100, unique=True)),
                        ("region", models.CharField(max_length=50)),
                        ("la_type", models.CharField(max_length=50, verbose_name="type")),
                        (
                            "reporting_from",
                            models.DateField(
                                blank=True,
                                help_text="The first month the authority reports its monthly progress in the app. No month before it is due, overdue or chased by a reminder (improvement_plans.rules); managers can still record earlier months.",
                                null=True,
                                verbose_name="reports progress in the app from",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "local authorities",
                        "db_table": "inspections_localauthority",
                        "ordering": ["name"],
                    },
                ),
                migrations.AlterField(
                    model_name="historicalmembership",
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
                    model_name="membership",
                    name="authority",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="accounts.localauthority",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_content_type_moves, migrations.RunPython.noop),
    ]
