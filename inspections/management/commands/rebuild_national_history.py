from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Rebuilds the national history of what Ofsted published: the authorities and their "
        "statistical neighbours, every report in a folder of Ofsted PDFs (import_ofsted_archive), "
        "then the national ILACS outcomes spreadsheet (import_ilacs_overview), which fills in "
        "the latest inspection of authorities the archive lacks. Each step is idempotent, so the "
        "whole is: a second run records nothing new and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="A folder of Ofsted report PDFs")
        parser.add_argument("spreadsheet", type=Path, help="The national outcomes .xlsx")
        parser.add_argument("--jobs", type=int, default=None, help="Parsing processes")

    def handle(self, *args, archive: Path, spreadsheet: Path, jobs: int | None, **options):
        # Checked before anything is imported, so that a wrong path changes nothing.
        if not archive.is_dir():
            raise CommandError(f"There is no folder at {archive}")
        if not spreadsheet.is_file():
            raise CommandError(f"There is no file at {spreadsheet}")
        out = {"stdout": self.stdout, "stderr": self.stderr}
        call_command("load_authorities", **out)
        archive_args = [str(archive)] + (["--jobs", str(jobs)] if jobs else [])
        call_command("import_ofsted_archive", *archive_args, **out)
        call_command("import_ilacs_overview", str(spreadsheet), **out)
