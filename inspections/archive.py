"""Importing a folder of Ofsted report PDFs (the public archive) in one go, and checking what the
importer makes of it.

The PDFs are read in worker processes (parsing is pure Python and CPU-bound, and needs no
Django); each report is then recorded in the parent, in its own transaction, so one bad file
never undoes or blocks another. A report already recorded is recognised and skipped, so a run can
be repeated.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import LocalAuthority
from core import bulk
from inspections import importers, ofsted_report
from inspections.models import (
    GRADED_EVENT_TYPES,
    ArchiveImportFile,
    ArchiveImportOutcome,
    ArchiveImportRun,
    EventType,
    Inspection,
)

# Archive files are named URN_authority_PUBLISHED.pdf; the URN says whose report it is when the
# name printed in the report is missing or ambiguous.
_FILENAME_URN_RE = re.compile(r"^(\d{5,8})_")
LONG_ITEM = 600  # characters: longer than any real area for improvement
CRASHED = "crashed"  # an unexpected error in the parser: always a bug to fix
WORKER_GC_THRESHOLDS = (50_000, 20, 100)  # the parsing workers' (gc.set_threshold)


def urn_from_filename(filename: str) -> str | None:
    match = _FILENAME_URN_RE.match(filename)
    return match.group(1) if match else None


def archive_files(directory: Path) -> list[Path]:
    """Every file in the folder that is meant to be a report (by its name: a saved error page
    named .pdf is still tried, and refused with a reason)."""
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")


@dataclass
class FileResult:
    filename: str
    outcome: str  # an ArchiveImportOutcome value, or CRASHED
    detail: str = ""
    parsed: ofsted_report.ParsedReport | None = None
    inspection: Inspection | None = None
    flags: list[str] = field(default_factory=list)  # implausible results (archive check)

    def line(self, dry_run: bool) -> str:
        label = {
            ArchiveImportOutcome.RECORDED: "would record" if dry_run else "recorded",
            ArchiveImportOutcome.ALREADY_THERE: "already there",
            ArchiveImportOutcome.REFUSED: "refused",
            CRASHED: "CRASHED",
        }[self.outcome]
        return f"{self.filename}: {label}" + (f": {self.detail}" if self.detail else "")


@dataclass
class ArchiveResult:
    files: list[FileResult] = field(default_factory=list)
    run: ArchiveImportRun | None = None
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)

    def summary(self, dry_run: bool) -> str:
        recorded = "would be recorded" if dry_run else "recorded"
        text = (
            f"{len(self.files)} files: {self.count(ArchiveImportOutcome.RECORDED)} {recorded}, "
            f"{self.count(ArchiveImportOutcome.ALREADY_THERE)} already there, "
            f"{self.count(ArchiveImportOutcome.REFUSED)} refused"
        )
        if self.count(CRASHED):
            text += f", {self.count(CRASHED)} crashed"
        return text + f" ({self.seconds:.0f} s)"

    def refusal_reasons(self) -> Counter:
        return Counter(
            f.detail for f in self.files if f.outcome in (ArchiveImportOutcome.REFUSED, CRASHED)
        )


class _DryRun(Exception):
    """Raised inside a file's transaction to roll a dry run back."""


def _parsed_reports(paths: list[Path], jobs: int) -> Iterator[tuple]:
    if jobs <= 1 or len(paths) <= 1:
        yield from map(ofsted_report.read_report_file, map(str, paths))
        return
    # spawn: the workers start clean instead of inheriting the parent's Django state and open
    # database connection; they only import the parser.
    context = multiprocessing.get_context("spawn")
    # A page makes some hundred thousand short-lived objects (its characters), which set off the
    # cyclic garbage collector so often that it took about 12% of a worker's time with
    # Python's thresholds; reference counting frees them anyway, and the rarer collections
    # still clear the few cycles pdfminer leaves.
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=gc.set_threshold,
        initargs=WORKER_GC_THRESHOLDS,
    ) as pool:
        yield from pool.map(ofsted_report.read_report_file, map(str, paths), chunksize=1)


def _in_sentence(label: str) -> str:
    """ "Short inspection" -> "short inspection", but "SIF inspection" keeps its capitals."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def _already_recorded(authority, parsed) -> Inspection | None:
    kinds = GRADED_EVENT_TYPES if parsed.inspection_type in GRADED_EVENT_TYPES else None
    inspections = Inspection.objects.filter(authority=authority, start_date=parsed.start_date)
    if kinds:  # one graded inspection per start date, whatever its recorded type
        return inspections.filter(event_type__in=kinds).first()
    return inspections.filter(event_type=parsed.inspection_type).first()


def _record(path: Path, parsed, *, dry_run: bool, user, authorities: list) -> FileResult:
    name = path.name
    authority = importers.match_authority(
        parsed.authority, urn=urn_from_filename(name), authorities=authorities
    )
    if authority is None:
        return FileResult(
            name,
            ArchiveImportOutcome.REFUSED,
            f"No authority matches “{parsed.authority or 'no name found'}” and the file name "
            "gives no known Ofsted URN",
            parsed,
        )
    existing = _already_recorded(authority, parsed)
    if existing is not None:
        return FileResult(name, ArchiveImportOutcome.ALREADY_THERE, str(existing), parsed, existing)
    try:
        with transaction.atomic():
            inspection = importers.report_import(parsed=parsed, user=user, authority=authority)
            result = FileResult(
                name,
                ArchiveImportOutcome.RECORDED,
                f"{authority.name}, {_in_sentence(EventType(parsed.inspection_type).label)} "
                f"{parsed.start_date:%-d %B %Y} to {parsed.end_date:%-d %B %Y} "
                f"({parsed.framework}), {len(parsed.judgements)} judgements, "
                f"{len(parsed.areas_for_improvement)} areas for improvement",
                parsed,
                None if dry_run else inspection,
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except ValidationError as error:
        return FileResult(name, ArchiveImportOutcome.REFUSED, "; ".join(error.messages), parsed)
    return result


def archive_import(
    *,
    directory: Path,
    dry_run: bool = False,
    jobs: int | None = None,
    user=None,
    on_file: Callable[[FileResult], None] | None = None,
) -> ArchiveResult:
    """Reads every report PDF in `directory` and records each in its own transaction. A dry run
    saves nothing (not even the run). Otherwise the run and each file's outcome are kept for the
    administrators' page."""
    jobs = max(1, jobs or os.cpu_count() or 1)
    paths = archive_files(directory)
    started = timezone.now()
    result = ArchiveResult()
    authorities = list(LocalAuthority.objects.all())  # matched against every file's names
    # What each file's saving would start at once (the dashboards' refresh) runs once at the end.
    with bulk.deferred():
        for path, (parsed, refusal, crashed) in zip(
            paths, _parsed_reports(paths, jobs), strict=True
        ):
            if parsed is None:
                outcome = CRASHED if crashed else ArchiveImportOutcome.REFUSED
                file_result = FileResult(path.name, outcome, refusal)
            else:
                file_result = _record(
                    path, parsed, dry_run=dry_run, user=user, authorities=authorities
                )
            result.files.append(file_result)
            if on_file:
                on_file(file_result)
    result.seconds = (timezone.now() - started).total_seconds()
    if not dry_run:
        result.run = _save_run(result, directory=directory, jobs=jobs, started=started)
    return result


def _save_run(result: ArchiveResult, *, directory: Path, jobs: int, started) -> ArchiveImportRun:
    with transaction.atomic():
        run = ArchiveImportRun.objects.create(
            directory=str(directory), jobs=jobs, started_at=started, finished_at=timezone.now()
        )
        ArchiveImportFile.objects.bulk_create(
            ArchiveImportFile(
                run=run,
                filename=f.filename,
                # A crash is a refusal to the administrator; the detail says what went wrong.
                outcome=ArchiveImportOutcome.REFUSED if f.outcome == CRASHED else f.outcome,
                detail=f.detail,
                inspection=f.inspection,
            )
            for f in result.files
        )
    return run


# --- The archive check: implausible results ----------------------------------------------------

_NAME_PUNCTUATION_RE = re.compile(r"[^\w\s’'.-]|\.\s*$|^\W")


def implausible(result: FileResult) -> list[str]:
    """What looks wrong in what was read from one file (the archive check lists these)."""
    parsed = result.parsed
    if parsed is None:
        return []
    flags = []
    graded = parsed.inspection_type in GRADED_EVENT_TYPES
    if graded and not parsed.judgements:
        flags.append("a graded report with no judgements")
    if graded and not parsed.areas_for_improvement:
        flags.append("a full inspection with no areas for improvement")
    if parsed.lead_inspector and _NAME_PUNCTUATION_RE.search(parsed.lead_inspector):
        flags.append(f"inspector name with punctuation: “{parsed.lead_inspector}”")
    if not parsed.lead_inspector:
        flags.append("no lead inspector")
    urn = urn_from_filename(result.filename)
    by_name = importers.match_authority_by_name(parsed.authority)
    if urn and (by_name is None or by_name.ofsted_urn != urn):
        said = by_name.name if by_name else "no authority"
        flags.append(
            f"authority “{parsed.authority}” (matches {said}) disagrees with URN {urn} "
            "in the file name"
        )
    for item in parsed.areas_for_improvement:
        if len(item) > LONG_ITEM:
            flags.append(f"an item of {len(item)} characters: “{item[:80]}…”")
    return flags
