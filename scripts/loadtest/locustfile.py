"""50 simulated people against the app under gunicorn (scripts/loadtest.sh runs this).

Everyone starts signed in (scripts/loadtest/seed.py says why). Officers open their updates and log
and submit monthly updates on their own areas for improvement;
managers look at the dashboards and the review queue and approve submitted updates. Every update
the app said it saved (a redirect after the POST) is recorded, so that afterwards the script can
check each one is in the database. Responses are counted by status; a 503 must be the service's
friendly "unavailable" page.
"""

import itertools
import json
import os
import re
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import urllib3
from locust import HttpUser, between, events, task

urllib3.disable_warnings()  # the script's own self-signed certificate

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
RESULTS = Path(os.environ["LOADTEST_RESULTS"])

_officers = itertools.cycle(PLAN["officers"])
_managers = itertools.cycle(PLAN["managers"])
_lock = threading.Lock()
statuses: Counter = Counter()
unfriendly_503: list[str] = []
times_503: list[float] = []  # when each 503 arrived
saved_updates: list[dict] = []  # {"finding_pk", "month"} the app confirmed as submitted
approved_updates: list[int] = []  # update pks the app confirmed as approved

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MONTH = re.compile(
    r'name="month"[^>]*value="(\d{4}-\d{2}-\d{2})"|value="(\d{4}-\d{2}-\d{2})"[^>]*name="month"'
)
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')
REVIEW_LINK = re.compile(r'href="(/plans/updates/(\d+)/review/)"')


@events.request.add_listener
def count(response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", 0) if response is not None else 0
    with _lock:
        statuses[status] += 1
        if status == 503:
            times_503.append(time.time())
        if status == 503 and "Sorry, the service is unavailable" not in (response.text or ""):
            unfriendly_503.append(response.text[:200])


@events.test_stop.add_listener
def write_results(**kwargs):
    RESULTS.write_text(
        json.dumps(
            {
                "statuses": {str(k): v for k, v in sorted(statuses.items())},
                "unfriendly_503": unfriendly_503,
                "times_503": times_503,
                "saved_updates": saved_updates,
                "approved_updates": approved_updates,
            }
        )
    )


def _first(match) -> str | None:
    return next((group for group in match.groups() if group), None) if match else None


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self):
        self.client.verify = False
        # Signed in beforehand (seed.py says why); the session cookie as the browser would hold it.
        self.client.cookies.set(
            "sessionid", self.account["session"], domain=urlsplit(self.host).hostname, path="/"
        )

    def post_form(self, url: str, page_text: str, data: dict, name: str):
        token = CSRF.search(page_text)
        if token is None:
            return None
        return self.client.post(
            url,
            {"csrfmiddlewaretoken": token.group(1), **data},
            headers={"Referer": self.host + url},
            allow_redirects=False,
            name=name,
        )


class Officer(Person):
    weight = 4

    def on_start(self):
        with _lock:
            self.account = next(_officers)
        self.afis = itertools.cycle(self.account["finding_pks"])
        super().on_start()

    @task(2)
    def my_updates(self):
        self.client.get("/plans/", name="my updates")

    @task(1)
    def area(self):
        self.client.get(f"/plans/areas/{next(self.afis)}/", name="area for improvement")

    @task(3)
    def log_and_submit_an_update(self):
        finding_pk = next(self.afis)
        url = f"/plans/areas/{finding_pk}/updates/new/"
        page = self.client.get(url, name="new update form", allow_redirects=False)
        month = _first(MONTH.search(page.text)) if page.status_code == 200 else None
        if month is None:
            return  # every month this area offers already has an update
        response = self.post_form(
            url,
            page.text,
            {
                "month": month,
                "rag": "amber",
                "what_was_done": f"Audited plans with team managers ({month}).",
                "impact": "Plans are more specific.",
                "submit_update": "Submit for review",
            },
            name="submit update",
        )
        if response is not None and response.status_code == 302:
            with _lock:
                saved_updates.append({"finding_pk": finding_pk, "month": month})


class Manager(Person):
    weight = 1

    def on_start(self):
        with _lock:
            self.account = next(_managers)
        super().on_start()

    @task(2)
    def portfolio(self):
        self.client.get("/dashboards/", name="dashboard: portfolio")

    @task(2)
    def authority_dashboard(self):
        self.client.get(
            f"/dashboards/authorities/{PLAN['authority_pk']}/", name="dashboard: authority"
        )

    @task(3)
    def review_and_approve(self):
        queue = self.client.get("/plans/review/", name="review queue")
        links = REVIEW_LINK.findall(queue.text) if queue.status_code == 200 else []
        if not links:
            return
        url, update_pk = links[len(links) // 2]
        page = self.client.get(url, name="review update", allow_redirects=False)
        version = _first(VERSION.search(page.text)) if page.status_code == 200 else None
        if version is None:
            return
        response = self.post_form(
            url, page.text, {"decision": "approve", "version": version}, name="approve update"
        )
        if response is not None and response.status_code == 302:
            with _lock:
                approved_updates.append(int(update_pk))
