"""Benchmark: exporting a committee report with 12 areas for improvement as Word and PDF, against
rendering the same report as HTML (the print view). Targets: Word p95 < 0.5 s, PDF p95 < 2 s.

    python bench/report_export.py            # BENCH_REPORT_RUNS (default 20) runs of each

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
TARGETS = {"Word": 0.5, "PDF": 2.0}
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
    with tempfile.TemporaryDirectory() as folder:
        _setup(Path(folder) / "bench.sqlite3")
        from django.core.cache import cache
        from django.test import Client
        from django.urls import reverse

        manager, report = _report()
        client = Client()
        client.force_login(manager)
        kwargs = {"report_pk": report.pk}
        pdf_url = reverse("reports:report_pdf", kwargs=kwargs)
        results = {
            "HTML": _time(client, reverse("reports:report_print", kwargs=kwargs), runs),
            "Word": _time(client, reverse("reports:report_docx", kwargs=kwargs), runs),
            # Every run lays the PDF out afresh: the cache of PDFs made before is emptied first.
            "PDF": _time(client, pdf_url, runs, before=cache.clear),
            "PDF again (unchanged, from the cache)": _time(client, pdf_url, runs),
        }
    html_p50 = statistics.median(results["HTML"][0])
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"Committee report export: {AREAS} areas for improvement, {runs} runs each, "
        f"{os.cpu_count()} CPUs, load average {load}"
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
            verdict = f"< {target * 1000:.0f} ms: {'met' if p95 < target else 'MISSED'}"
            if p95 >= target:
                missed.append(f"{name} p95 {p95 * 1000:.0f} ms (target < {target * 1000:.0f} ms)")
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


if __name__ == "__main__":
    sys.exit(main())
