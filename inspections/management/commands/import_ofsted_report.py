import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import LocalAuthority
from inspections import archive, importers, ofsted_report


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class Command(BaseCommand):
    help = (
        "Reads a published Ofsted children's services report (PDF) and records the inspection, "
        "its judgements and its areas for improvement. --dry-run saves nothing; --json prints "
        "what was read (the schema of tests/fixtures/ofsted-reports/expected.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check, but save nothing")
        parser.add_argument(
            "--json", action="store_true", help="Print what was read as JSON (saves nothing)"
        )
        parser.add_argument(
            "--authority",
            help="The authority's Ofsted URN or name, when the report's own name matches none",
        )
        parser.add_argument(
            "--published",
            help="The publication date (YYYY-MM-DD), when the report does not print it",
        )

    def handle(self, *args, path: Path, dry_run: bool, json: bool, **options):
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        if path.stat().st_size > ofsted_report.MAX_BYTES:
            raise CommandError(ofsted_report.TOO_LARGE)
        try:
            parsed = ofsted_report.parse_report(path.read_bytes(), filename=path.name)
            parsed = importers.with_publication_date(parsed, given=options.get("published"))
        except (ofsted_report.ReportParseError, ValueError) as error:
            raise CommandError(str(error)) from error
        if json:
            self.stdout.write(_json_dumps(parsed.as_expected_json()))
            return
        authority = None
        if options.get("authority"):
            wanted = options["authority"].strip()
            authority = (
                LocalAuthority.objects.filter(ofsted_urn=wanted).first()
                or LocalAuthority.objects.filter(name__iexact=wanted).first()
                or importers.match_authority(wanted)
            )
            if authority is None:
                raise CommandError(f"No authority has the Ofsted URN or name “{wanted}”")
        try:
            with transaction.atomic():
                inspection = importers.report_import(
                    parsed=parsed,
                    user=None,
                    authority=authority,
                    # Archive copies are named URN_authority_PUBLISHED.pdf.
                    urn=archive.urn_from_filename(path.name),
                )
                summary = (
                    f"{inspection.authority}: {inspection.get_event_type_display().lower()} "
                    f"{inspection.start_date:%-d %B %Y} to {inspection.end_date:%-d %B %Y} "
                    f"({inspection.framework.code}), {inspection.judgements.count()} judgements, "
                    f"{inspection.findings.count()} areas for improvement"
                )
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write(f"Dry run, nothing saved. Would record {summary}")
            return
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Recorded {summary}")


def _json_dumps(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
