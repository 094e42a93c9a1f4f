"""Abstract bases shared by the apps' models."""

from django.db import models
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    """Adds when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A row people edit in forms: `version` goes up by one on every saved edit.

    A form carries the version it was read at; the service that saves it refuses the save when the
    row's version has moved on since (someone else saved first), so nobody silently overwrites
    anybody else. See `core.concurrency`.
    """

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class AsAtHistoricalRecords(HistoricalRecords):
    """django-simple-history's HistoricalRecords, its table also indexed on (id, history_date):
    the records whose picture *as at* an earlier day is rebuilt from the history
    (improvement_plans.records.as_of_rows) find each row's latest version at a moment by reading
    one entry of this index instead of every version of the row."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        name = f"hist_{model._meta.model_name}_as_at"
        if len(name) > 30:  # Django's limit on index names
            raise ValueError(f"{name} is too long for an index name")
        index = models.Index(fields=[model._meta.pk.attname, "history_date"], name=name)
        options["indexes"] = (*options.get("indexes", ()), index)
        return options
