"""Benchmark: exporting a committee report with 12 areas for improvement as Word and PDF, against
rendering the same report as HTML (the print view); then the same report with every field at its
maximum length (issue 13: title 200 characters, every section 20,000, every implication 2,000,
every sign-off name and title 150, the progress summary and plan appendix switched on, a
council's own section); then the first PDF after a server start (a new process, an empty
cache). Targets: Word p95 <= 0.5 s, PDF p95 <= 2 s, the first PDF <= 2 s.

    python bench/report_export.py            # BENCH_REPORT_RUNS (default 20) runs of each;
                                             # BENCH_REPORT_MAX_RUNS (default 5) of the longest

Each run is a whole request through Django's test client, as a signed-in manager: permission
checks, queries, layout and the file. The data (a 2023 inspection with 12 areas for improvement,
each with 12 approved monthly updates and 3 actions, and a year-long report on them) goes in a
throwaway SQLite database, so the script needs no server and touches no real data; the export
work is CPU-bound layout, not database time. `make bench` runs it after its load test. Exits 1 if
a target is missed.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {
    "Word": 0.5,
    "PDF": 2.0,
    "Word, every field at its maximum": 0.5,
    "Word, the same in a council template": 0.5,
    "PDF, every field at its maximum": 2.0,
    "First PDF after a server start": 2.0,
}
AREAS = 12


def _setup(database: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    # The test client's host, development settings: the script never serves anyone.
    os.environ["DEBUG"] = "true"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["CACHE_URL"] = "locmem"  # the throwaway database has no cache table
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilacs.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log growing through the runs
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)


def _report():
    from accounts.models import Role
    from tests.factories import LocalAuthorityFactory, MembershipFactory, UserFactory
    from tests.reports.factories import inspection_with_progress, report_for

    authority = LocalAuthorityFactory(name="Benchmark Borough")
    manager = UserFactory(username="bench.manager")
    MembershipFactory(user=manager, authority=authority, role=Role.MANAGER)
    inspection = inspection_with_progress(authority, areas=AREAS, months=12)
    report = report_for(
        inspection,
        manager,
        meeting_date=datetime.date(2025, 2, 10),
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    return manager, report


def _text(length: int, seed: str) -> str:
    """Plain text of exactly `length` characters: paragraphs, a bullet list, a web address."""
    sentence = f"{seed} improved the quality of plans and the oversight of managers this month. "
    bullets = "\n".join(f"- {sentence.strip()}" for _ in range(3))
    unit = (
        f"{(sentence * 6).strip()}\n\n{bullets}\n\n"
        "See https://files.ofsted.gov.uk/v1/file/50216275 for the report.\n\n"
    )
    return (unit * (length // len(unit) + 1))[: length - 1] + "."


def _longest_report(manager, report):
    """The report with every free-text field at its maximum length (reports.models)."""
    from reports import services
    from reports.models import (
        HEADING_MAX_LENGTH,
        IMPLICATION_MAX_LENGTH,
        NAME_MAX_LENGTH,
        SECTION_MAX_LENGTH,
        CommitteeReport,
        ReportSection,
        SectionKind,
    )
    from reports.profiles import new_profile

    profile = new_profile(report.authority)
    for section in profile.sections:
        section["include"] = True
    profile.sections.append(
        {"key": "custom-1", "heading": "Consultation", "include": True, "body": "Consulted."}
    )
    profile.save()
    fields = {
        name: _text(CommitteeReport._meta.get_field(name).max_length, name).replace("\n", " ")
        for name in (
            "title",
            "committee",
            "report_of",
            "portfolio_holder",
            "author_name",
            "contact",
            "wards_affected",
        )
    }
    longest = services.report_create(
        authority=report.authority,
        inspection=report.inspection,
        user=manager,
        kind=report.kind,
        meeting_date=report.meeting_date,
        period_start=report.period_start,
        period_end=report.period_end,
        **fields,
    )
    for section in longest.sections.all():
        if section.kind != SectionKind.AREA:
            section.heading = _text(HEADING_MAX_LENGTH, section.heading).replace("\n", " ")
        section.body = _text(SECTION_MAX_LENGTH, section.heading[:20])
        if section.kind == SectionKind.IMPLICATIONS:
            section.data["rows"] = [
                [row[0], _text(IMPLICATION_MAX_LENGTH, row[0]).replace("\n", " ")]
                for row in section.data["rows"]
            ]
        if section.kind == SectionKind.SIGN_OFF:
            section.data["rows"] = [
                [row[0], *(_text(NAME_MAX_LENGTH, row[0]).replace("\n", " "),) * 2, "1 March 2025"]
                for row in section.data["rows"]
            ]
        section.full_clean()
        ReportSection.objects.filter(pk=section.pk).update(
            heading=section.heading, body=section.body, data=section.data
        )
    return longest


def _first_pdf_after_start(report_pk: int, database: Path) -> float:
    """Seconds for the first PDF a new server process makes (an empty cache): a child process
    sets Django up as gunicorn does (its arbiter imported, the app preloaded: reports.apps
    then warms WeasyPrint up), then times one request."""
    import subprocess

    code = f"""
import os, sys, time
sys.path.insert(0, {str(ROOT)!r})
os.environ.update(DATABASE_URL="sqlite:///{database}", DEBUG="true", ALLOWED_HOSTS="testserver",
                  CACHE_URL="locmem", DJANGO_SETTINGS_MODULE="ilacs.settings")
import gunicorn.arbiter  # what a gunicorn server has imported before it loads the app
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.core.handlers.wsgi import WSGIHandler
WSGIHandler()  # what a server's start does: the middleware loaded
from django.urls import get_resolver
get_resolver().url_patterns  # and gunicorn.conf.py's when_ready: every view module imported
client = Client()
client.force_login(get_user_model().objects.get(username="bench.manager"))
start = time.perf_counter()
response = client.get("/reports/{report_pk}/report.pdf")
assert response.status_code == 200 and response.content
print(time.perf_counter() - start)
"""
    result = subprocess.run(  # noqa: S603 - this interpreter, the script's own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(result.stdout.strip().splitlines()[-1])


def _time(client, url: str, runs: int, *, before=None) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each request. On a shared machine the wall time includes
    waiting for a CPU; the CPU time is what the export itself costs. `before` runs ahead of each
    request, untimed."""
    client.get(url)  # warm: templates compiled, fonts loaded
    wall, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        content = response.content
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200 and content, url
    return wall, cpu


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) > 1 else times[0]


def main() -> int:
    runs = int(os.environ.get("BENCH_REPORT_RUNS", "20"))
    max_runs = int(os.environ.get("BENCH_REPORT_MAX_RUNS", "5"))
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        _setup(database)
        from django.core.cache import cache
        from django.test import Client
        from django.urls import reverse

        manager, report = _report()
        longest = _longest_report(manager, report)
        client = Client()
        client.force_login(manager)

        def url(name, which):
            return reverse(f"reports:{name}", kwargs={"report_pk": which.pk})

        results = {
            "HTML": _time(client, url("report_print", report), runs),
            "Word": _time(client, url("report_docx", report), runs),
            # Every run lays the PDF out afresh: the cache of PDFs made before is emptied first.
            "PDF": _time(client, url("report_pdf", report), runs, before=cache.clear),
            "PDF again (unchanged, from the cache)": _time(client, url("report_pdf", report), runs),
            "Word, every field at its maximum": _time(
                client, url("report_docx", longest), max_runs
            ),
            "PDF, every field at its maximum": _time(
                client, url("report_pdf", longest), max_runs, before=cache.clear
            ),
        }
        # The council's own template with a cover table, placeholders and a loop over the
        # sections (tests/reports/test_word_templates.py builds it).
        from django.core.files.uploadedfile import SimpleUploadedFile

        from reports import services
        from tests.reports.test_word_templates import council_template

        services.word_template_upload(
            authority=report.authority,
            uploaded_file=SimpleUploadedFile("council.docx", council_template()),
            user=manager,
        )
        results["Word, the same in a council template"] = _time(
            client, url("report_docx", longest), max_runs
        )
        first = [_first_pdf_after_start(report.pk, database) for _ in range(3)]
        results["First PDF after a server start"] = (first, first)
        pages = _pages(client.get(url("report_pdf", longest)).content)
    html_p50 = statistics.median(results["HTML"][0])
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"Committee report export: {AREAS} areas for improvement, {runs} runs each "
        f"({max_runs} of the longest report, {pages} pages as a PDF; 3 new processes for the "
        f"first PDF, wall time only), {os.cpu_count()} CPUs, load average {load}"
    )
    print(
        f"| {'format':<38} | {'p50 ms':>7} | {'p95 ms':>7} | {'p50 / HTML':>10} |"
        f" {'CPU p50 ms':>10} | {'CPU p95 ms':>10} | {'target (p95)':<16} |"
    )
    print(f"|{'-' * 40}|{'-' * 9}|{'-' * 9}|{'-' * 12}|{'-' * 12}|{'-' * 12}|{'-' * 18}|")
    missed = []
    for name, (wall, cpu) in results.items():
        p50, p95 = statistics.median(wall), _p95(wall)
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            verdict = f"<= {target * 1000:.0f} ms: {'met' if p95 <= target else 'MISSED'}"
            if p95 > target:
                missed.append(f"{name} p95 {p95 * 1000:.0f} ms (target {target * 1000:.0f} ms)")
        print(
            f"| {name:<38} | {p50 * 1000:>7.0f} | {p95 * 1000:>7.0f} | {p50 / html_p50:>9.1f}x |"
            f" {statistics.median(cpu) * 1000:>10.0f} | {_p95(cpu) * 1000:>10.0f} | {verdict:<16} |"
        )
    if missed:
        print(
            "Missed: "
            + "; ".join(missed)
            + ". Wall time includes waiting for a CPU; compare the CPU columns and the load average."
        )
        return 1
    return 0


def _pages(content: bytes) -> int:
    import io

    from pdfminer.pdfpage import PDFPage

    return sum(1 for _ in PDFPage.get_pages(io.BytesIO(content)))


if __name__ == "__main__":
    sys.exit(main())
