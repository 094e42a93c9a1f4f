"""What the dashboards' cache is keyed on: a stamp per authority that the database itself changes
whenever anything the dashboards show about that authority changes."""

from django.db import models


class DataVersion(models.Model):
    """A random stamp for one authority's dashboard data, set again by database triggers (migration
    0002) on every insert, update or delete of its inspections, judgements, findings, plans,
    actions and progress updates, and for every authority when a person's name or a framework's
    judgement areas change.

    Triggers rather than application code, so that no path can change the data without changing
    the stamp: the admin, bulk operations, `QuerySet.update()` and raw SQL included. Random rather
    than counted, so that a stamp never comes back after a rollback or a restored backup and finds
    an old cache entry. Not a foreign key: a stamp is not a relation, and it must never stop an
    authority being deleted.
    """

    authority_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"Authority {self.authority_id}: {self.version}"


class PublishedVersion(models.Model):
    """One random stamp for everything Ofsted published, nationally (the authorities, their
    statistical neighbours, inspections, judgements, findings, frameworks): set again by database
    triggers (dashboards.stamps) on every change to any of them, and on no change to an
    authority's own data. The comparison pages (dashboards.benchmark_page) read every authority's
    published record, so they are cached under this one stamp: a month-end rush of progress
    updates leaves them cached, a new inspection anywhere rebuilds them. One row (id 1), made by
    the first change."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField()

    def __str__(self) -> str:
        return f"Published data: {self.version}"
