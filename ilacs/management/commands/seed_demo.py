from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import LocalAuthority
from ilacs.demo import DEMO_PASSWORD, DEMO_USERS, DemoSeeder
from inspections.services import authorities_load


class Command(BaseCommand):
    help = (
        "Creates demo users for every role and realistic data for North Somerset, Gateshead and "
        "Brent. Safe to rerun. Refuses to run when DEBUG is off unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (demo accounts have a published password)",
        )
        parser.add_argument(
            "--scale",
            choices=["demo", "national"],
            default="demo",
            help="national: also give every other authority (all 153) a synthetic history, "
            "areas for improvement, actions and 36 months of updates (ilacs/demo/national.py)",
        )
        parser.add_argument(
            "--times",
            type=int,
            default=1,
            help="With --scale national: N times the history behind the same current picture",
        )

    def handle(self, *args, force: bool, scale: str = "demo", times: int = 1, **options):
        if scale != "national" and times != 1:
            raise CommandError("--times applies only with --scale national")
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo accounts have a published password, so seed_demo does not run with DEBUG "
                "off. Use --force only on a server that will never hold real data."
            )
        if LocalAuthority.objects.count() < 153:
            authorities_load()
        try:
            DemoSeeder().run()
        except LookupError as error:
            raise CommandError(str(error)) from error
        if scale == "national":
            self._national(times)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with any of these:"))
        width = max(len(u.username) for u in DEMO_USERS)
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<{width}}  {DEMO_PASSWORD}  {user.description}")

    def _national(self, times: int) -> None:
        import time

        from ilacs.demo.national import NATIONAL_VIEWER, NationalSeeder

        if times < 1:
            raise CommandError("--times must be 1 or more")
        started = time.monotonic()
        self.stdout.write(f"Seeding national-scale data (times {times})...")
        counts = NationalSeeder(times=times, log=self.stdout.write).run()
        self.stdout.write(
            self.style.SUCCESS(
                f"National data: {counts.authorities} authorities seeded, {counts.inspections} "
                f"inspections, {counts.afis} areas for improvement, {counts.actions} actions, "
                f"{counts.updates} monthly updates in {time.monotonic() - started:.0f}s. "
                f"{NATIONAL_VIEWER} sees every authority; each has <LA code>.officer and "
                "<LA code>.manager."
            )
        )
