"""Writes the benchmark's plan (JSON): which pages exist, and the ids the load test visits.

Run by bench/run.sh against the seeded database: `python bench/prepare.py PLAN.json`.
"""

import json
import os
import random
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilacs.settings")
django.setup()

from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from ilacs.demo.national import NATIONAL_VIEWER  # noqa: E402
from improvement_plans import records  # noqa: E402
from improvement_plans.models import Action, ProgressUpdate  # noqa: E402
from inspections.models import Finding, Inspection, LocalAuthority  # noqa: E402

# The pages measured, in the order they are reported. The floor is the accessibility statement
# seen signed in: the layout, the session and the user, and nothing else.
PAGES = {
    "floor": ("accessibility", {}),
    "authority dashboard": ("dashboards:authority", {"authority_pk": 0}),
    # The picture as it stood a year ago (issue 11): "?as_at=" is added in main().
    "authority dashboard as at a year ago": ("dashboards:authority", {"authority_pk": 0}),
    "portfolio dashboard": ("dashboards:portfolio", {}),
    "AFI page": ("improvement_plans:area_detail", {"finding_pk": 0}),
    "My updates": ("improvement_plans:my_updates", {}),
    "progress form": ("improvement_plans:update_create", {"finding_pk": 0}),
    # Read by the month-end rush only (bench/locustfile.py): the forms its writes post.
    "draft form": ("improvement_plans:update_edit", {"update_pk": 0}),
    "review queue": ("improvement_plans:review_queue", {}),
    "review form": ("improvement_plans:update_review", {"update_pk": 0}),
}
# The month-end rush's writes (POSTs), reported as their own rows in this order.
WRITES = ("save", "submit", "approve", "return")


def a_year_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def url_template(name: str, kwargs: dict) -> str | None:
    """The page's URL with "{pk}" for its object, or None when the page is not built yet."""
    try:
        return reverse(name, kwargs=kwargs).replace("/0/", "/{pk}/")
    except NoReverseMatch:
        return None


def signed_in_sessions(usernames: list[str], copies: int = 1) -> dict[str, list[str]]:
    """Session keys of signed-in sessions for each user, as django.contrib.auth.login makes them.
    The load test measures pages, not sign-in: signing in through the form hashes a password on
    purpose slowly, which would swamp the first seconds of every run."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    sessions = {}
    for user in get_user_model().objects.filter(username__in=usernames):
        keys = []
        for _ in range(copies):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            keys.append(session.session_key)
        sessions[user.username] = keys
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    return sessions


def main(path: str) -> None:
    rng = random.Random(5)
    today = timezone.localdate()
    authorities = list(LocalAuthority.objects.values_list("pk", "la_code"))
    found = records.load(authority_ids=[pk for pk, _ in authorities], day=today, history=False)
    areas = [
        (area.pk, area.inspection.authority.la_code, found.progress[area.pk])
        for area in found.afis
        if area.lead_id is not None
    ]
    # The progress form is for an area whose update for this month (or last) is not logged yet:
    # open areas (the rules' is_open), whose lead is the authority's seeded officer.
    open_by_officer: dict[str, list[int]] = {}
    for pk, la_code, progress in areas:
        if progress.is_open:
            open_by_officer.setdefault(f"{la_code}.officer", []).append(pk)
    # The month-end rush's managers (`<LA code>.manager`, one authority each): every authority's,
    # and those with updates already waiting for approval (the rules' count).
    managers = [f"{la_code}.manager" for _, la_code in authorities]
    waiting = sorted(la_code for pk, la_code in authorities if found.counts(pk).waiting)
    from django.conf import settings

    pages = {label: url_template(name, kwargs) for label, (name, kwargs) in PAGES.items()}
    as_at = "authority dashboard as at a year ago"
    if pages[as_at]:
        pages[as_at] += f"?as_at={a_year_before(today).isoformat()}"
    plan = {
        "cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "viewer": NATIONAL_VIEWER,
        "sessions": signed_in_sessions([NATIONAL_VIEWER, *open_by_officer, *managers], copies=1),
        "viewer_sessions": signed_in_sessions([NATIONAL_VIEWER], copies=50)[NATIONAL_VIEWER],
        "pages": pages,
        "writes": list(WRITES),
        # Where a saved draft redirects (a write succeeded), not a page measured.
        "update detail": url_template("improvement_plans:update_detail", {"update_pk": 0}),
        "this_month": today.replace(day=1).isoformat(),
        "authorities": [pk for pk, _ in authorities],
        "authority_by_code": {la_code: pk for pk, la_code in authorities},
        "waiting_for_review": waiting,
        "areas": rng.sample([pk for pk, *_ in areas], min(500, len(areas))),
        "officers": {user: pks for user, pks in open_by_officer.items()},
        "data": {
            "authorities": len(authorities),
            "inspections": Inspection.objects.count(),
            "areas": Finding.objects.to_act_on().count(),
            "actions": Action.objects.count(),
            "updates": ProgressUpdate.objects.count(),
            "update history rows": ProgressUpdate.history.count(),
        },
    }
    Path(path).write_text(json.dumps(plan))
    print(
        f"plan: {len(plan['authorities'])} authorities, {len(areas)} current areas, "
        f"{len(plan['officers'])} officers with open areas, {len(waiting)} authorities with "
        "updates waiting for review; pages built: "
        + ", ".join(label for label, ok in plan["pages"].items() if ok)
    )


if __name__ == "__main__":
    main(sys.argv[1])
