"""Puts back the reference data the migrations load (frameworks and their judgement areas).

Transactional tests (the live server's, the backup round trip's) empty every table when they end,
so a later one in the same process starts without the rows that migrations loaded.
"""

import importlib

from django.apps import apps


def load_reference_data() -> None:
    migration = importlib.import_module("inspections.migrations.0002_frameworks")
    migration.load_frameworks(apps, None)
