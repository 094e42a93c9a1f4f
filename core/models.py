"""Abstract bases shared by the apps' models."""

from django.db import models


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
