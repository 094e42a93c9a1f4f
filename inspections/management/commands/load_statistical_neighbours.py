import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from inspections.management.commands.load_authorities import neighbours_summary
from inspections.services import NEIGHBOURS_CSV, neighbours_load


class Command(BaseCommand):
    help = (
        "Replaces every authority's statistical neighbours with those of a lookup CSV in "
        "data-to-insight's layout (la_code, stat_neighbours, local_authority_ons_name), such as "
        "a newer copy of inspections/data/authority_lookup.csv. Checks the whole file first: a "
        "bad one changes nothing. Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=NEIGHBOURS_CSV)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        try:
            result = neighbours_load(path=path)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        except (UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"{path.name} is not a CSV file in UTF-8: {error}") from error
        self.stdout.write(neighbours_summary(result))
