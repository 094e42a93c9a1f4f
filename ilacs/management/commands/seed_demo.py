from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ilacs.demo import DEMO_PASSWORD, DEMO_USERS, DemoSeeder
from inspections.models import LocalAuthority
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

    def handle(self, *args, force: bool, **options):
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
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with any of these:"))
        width = max(len(u.username) for u in DEMO_USERS)
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<{width}}  {DEMO_PASSWORD}  {user.description}")
