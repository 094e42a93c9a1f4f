from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from inspections.services import AUTHORITIES_CSV, NEIGHBOURS_CSV, authorities_load, neighbours_load


def neighbours_summary(result) -> str:
    summary = (
        f"Statistical neighbours: {result.links} for {result.authorities} authorities, "
        f"{result.changed} lists changed"
    )
    if result.predecessors:
        summary += "; left out, as authorities that no longer exist: " + ", ".join(
            result.predecessors
        )
    return summary


class Command(BaseCommand):
    help = (
        "Loads the English local authorities (Ofsted URN, DfE and GSS codes) from a CSV, then "
        "their statistical neighbours from the project's lookup. Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=AUTHORITIES_CSV)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        try:
            result = authorities_load(path=path)
            neighbours = neighbours_load(path=NEIGHBOURS_CSV)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from error
        self.stdout.write(
            f"Authorities: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
        self.stdout.write(neighbours_summary(neighbours))
