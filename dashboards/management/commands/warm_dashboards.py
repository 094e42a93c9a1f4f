import statistics

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from dashboards import benchmark_page, snapshots


def _p95(seconds: list[float]) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


class Command(BaseCommand):
    help = (
        "Builds today's dashboards into the cache ahead of their first viewer: every authority's "
        "dashboard and benchmark page, and the national portfolio. Run after a deploy and each night after midnight. "
        "Safe to rerun: what is already cached for today is left alone (unless --rebuild)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="build every dashboard again, cached or not"
        )

    def handle(self, *args, rebuild: bool, **options):
        if connection.vendor not in snapshots.STAMPED_VENDORS:
            self.stdout.write(f"Dashboards are not cached on {connection.vendor}: nothing to do.")
            return
        today = timezone.localdate()
        done = snapshots.warm(today=today, rebuild=rebuild)
        built = [w for w in done if w.built]
        self.stdout.write(
            f"Dashboards for {today:%-d %B %Y}: {len(built)} built, "
            f"{len(done) - len(built)} already cached."
        )
        for kind in ("authority", "portfolio"):
            seconds = [w.seconds for w in built if w.kind == kind]
            if seconds:
                self.stdout.write(
                    f"  {kind}: {len(seconds)} built, build time p50 "
                    f"{statistics.median(seconds) * 1000:.0f} ms, p95 {_p95(seconds) * 1000:.0f} ms, "
                    f"max {max(seconds) * 1000:.0f} ms"
                )
        seconds = benchmark_page.warm(today=today, rebuild=rebuild)
        if seconds:
            self.stdout.write(
                f"  benchmark page: {len(seconds)}, p50 {statistics.median(seconds) * 1000:.0f} ms, "
                f"p95 {_p95(seconds) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms"
            )
