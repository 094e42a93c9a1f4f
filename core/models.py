"""Abstract bases shared by the apps' models, and the ground floor's one table: the creating forms'
one-time tokens (`FormSubmission`)."""

from django.conf import settings
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


class FormSubmission(models.Model):
    """A creating form's one-time token, once that form has been saved: who sent it and the page
    of what it created. A second post of the same form (a double click, the browser's back button
    and "send again") finds it and leads to that page instead of creating a second row
    (`core.once.creates_once`). The token is unique per person, so the second of two posts sent
    at once waits on the first's row in the database and is then refused, never both saved."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="form_submission_once")
        ]

    def __str__(self) -> str:
        return f"{self.token} → {self.url}"
