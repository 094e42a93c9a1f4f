from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections import archive


class Command(BaseCommand):
    help = (
        "Runs the report importer dry over a folder of Ofsted report PDFs (nothing is saved) and "
        "prints the counts by outcome and every implausible result: a graded report with no "
        "judgements or no areas for improvement, an inspector name with punctuation in it, an "
        "authority that disagrees with the URN in the file name, an item over 600 characters."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--jobs", type=int, default=None, help="Parallel parsing processes (default: CPUs)"
        )

    def handle(self, *args, directory: Path, jobs: int | None, **options):
        if not directory.is_dir():
            raise CommandError(f"There is no folder at {directory}")
        if not archive.archive_files(directory):
            raise CommandError(f"There are no .pdf files in {directory}")
        result = archive.archive_import(directory=directory, dry_run=True, jobs=jobs)
        outcomes = [
            ("would be recorded", archive.ArchiveImportOutcome.RECORDED),
            ("already there", archive.ArchiveImportOutcome.ALREADY_THERE),
            ("refused", archive.ArchiveImportOutcome.REFUSED),
            ("crashed", archive.CRASHED),
        ]
        self.stdout.write(f"{len(result.files)} files checked in {result.seconds:.0f} s")
        for label, outcome in outcomes:
            self.stdout.write(f"  {label}: {result.count(outcome)}")
        refused = [f for f in result.files if f.outcome != archive.ArchiveImportOutcome.RECORDED]
        if refused:
            self.stdout.write("\nNot recorded:")
            for file in refused:
                self.stdout.write(f"  {file.line(dry_run=True)}")
        flagged = [(f, flags) for f in result.files if (flags := archive.implausible(f))]
        self.stdout.write(f"\nImplausible results: {sum(len(x) for _, x in flagged)}")
        for file, flags in flagged:
            for flag in flags:
                self.stdout.write(f"  {file.filename}: {flag}")
