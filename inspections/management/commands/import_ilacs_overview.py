from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from inspections import importers


class Command(BaseCommand):
    help = (
        "Imports the national ILACS outcomes spreadsheet (.xlsx): creates or updates each "
        "authority's latest inspection and its judgements. Safe to rerun. A row that cannot be "
        "imported is skipped and listed with its reason; a file that is not the spreadsheet "
        "imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        try:
            with path.open("rb") as handle:
                result = importers.overview_import(file=handle, user=None)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        for row in result.rows:
            self.stdout.write(f"Row {row.line}, {row.authority}: {row.action}, {row.detail}")
        self.stdout.write(f"Spreadsheet: {result.summary}")
