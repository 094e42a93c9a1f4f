"""Load-test data on top of the demo data: 40 officers (12 areas for improvement each, so none of
them compete for the same month's update) and 10 managers, all in North Somerset. Writes who does
what to the JSON file given as the first argument. Run by scripts/loadtest.sh."""

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilacs.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import Membership, Role  # noqa: E402
from inspections.models import Finding, FindingKind, LocalAuthority  # noqa: E402

OFFICERS, MANAGERS, AREAS_EACH = 40, 10, 12


def _signed_in_session(user) -> str:
    """A session as signing in creates it. The load users start signed in: at 1.5 million PBKDF2
    iterations a sign-in costs about a second of CPU on purpose, and 50 at once would turn the
    first half of the run into a measurement of password hashing."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def main(plan_file: str) -> None:
    authority = LocalAuthority.objects.get(name="North Somerset")
    inspection = authority.inspections.order_by("-start_date").first()
    User = get_user_model()
    plan = {"authority_pk": authority.pk, "officers": [], "managers": []}
    with transaction.atomic():
        for kind, count, role in (
            ("officer", OFFICERS, Role.OFFICER),
            ("manager", MANAGERS, Role.MANAGER),
        ):
            for n in range(1, count + 1):
                user = User.objects.create(
                    username=f"load.{kind}.{n:02d}", email=f"load.{kind}.{n:02d}@example.org"
                )
                user.set_unusable_password()  # they start signed in: see _signed_in_session
                user.save()
                Membership.objects.create(user=user, authority=authority, role=role)
                entry = {"username": user.username, "session": _signed_in_session(user)}
                if role == Role.OFFICER:
                    entry["finding_pks"] = [
                        Finding.objects.create(
                            inspection=inspection,
                            kind=FindingKind.AREA_FOR_IMPROVEMENT,
                            title=f"Load test area {n}.{k}",
                            text=f"Load test area {n}.{k}: the quality of plans.",
                            order=1000 + n * 100 + k,
                            lead=user,
                        ).pk
                        for k in range(AREAS_EACH)
                    ]
                    plan["officers"].append(entry)
                else:
                    plan["managers"].append(entry)
    Path(plan_file).write_text(json.dumps(plan))
    print(f"Load users: {OFFICERS} officers ({AREAS_EACH} areas each), {MANAGERS} managers")


if __name__ == "__main__":
    main(sys.argv[1])
