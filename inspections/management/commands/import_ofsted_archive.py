from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections import archive


class Command(BaseCommand):
    help = (
        "Reads every Ofsted report PDF in a folder (parsed in parallel processes) and records "
        "each inspection in its own transaction. A report already recorded is skipped, so the "
        "command can be rerun. Prints a line per file and a summary; --dry-run saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check, but save nothing")
        parser.add_argument(
            "--jobs", type=int, default=None, help="Parallel parsing processes (default: CPUs)"
        )

    def handle(self, *args, directory: Path, dry_run: bool, jobs: int | None, **options):
        if not directory.is_dir():
            raise CommandError(f"There is no folder at {directory}")
        if jobs is not None and jobs < 1:
            raise CommandError("--jobs must be 1 or more")
        if not archive.archive_files(directory):
            raise CommandError(f"There are no .pdf files in {directory}")
        result = archive.archive_import(
            directory=directory,
            dry_run=dry_run,
            jobs=jobs,
            on_file=lambda f: self.stdout.write(f.line(dry_run)),
        )
        self.stdout.write("")
        self.stdout.write(("Dry run, nothing saved. " if dry_run else "") + result.summary(dry_run))
        for reason, count in result.refusal_reasons().most_common():
            self.stdout.write(f"  refused {count}: {reason}")
