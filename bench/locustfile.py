"""The benchmark's load (bench/run.sh): signed-in people reading the key pages.

- a national viewer (a viewer of all 153 authorities): the floor page, the portfolio dashboard,
  authority dashboards and AFI pages of random authorities;
- officers (one of the seeded `<LA code>.officer` users each): the floor page, My updates and the
  progress form for one of their open areas.

Every request is named after the page it measures; a page that is not built yet is skipped (and
reported so). A redirect to the sign-in page or any status other than 200 is an error.
"""

import json
import os
import random
from pathlib import Path

import urllib3
from locust import HttpUser, between, task

urllib3.disable_warnings()  # the certificate is bench/run.sh's own, for 127.0.0.1

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text(encoding="utf-8"))
PAGES = PLAN["pages"]


class SignedIn(HttpUser):
    abstract = True
    # Paced so that the server is busy but not saturated: a saturated server queues every page
    # behind the others, and every p95 (the floor's too) becomes mostly waiting time.
    wait_time = between(0.5, 1.5)
    username = ""

    def on_start(self):
        self.client.verify = False  # bench/run.sh's own throwaway certificate, on loopback
        # A session made by bench/prepare.py as sign-in makes one: what is measured is pages.
        self.client.cookies.set(PLAN["cookie"], self.session_key(), domain="127.0.0.1")
        response = self.client.get(PAGES["floor"], name="sign in check (setup)")
        if "/accounts/sign-in/" in response.url or "Sign out" not in response.text:
            raise RuntimeError(f"{self.username} is not signed in")

    def session_key(self) -> str:
        return PLAN["sessions"][self.username][0]

    def visit(self, label: str, pk: int | None = None):
        template = PAGES.get(label)
        if template is None:
            return  # not built yet
        url = template.format(pk=pk) if pk is not None else template
        with self.client.get(url, name=label, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif response.history or "/accounts/sign-in/" in response.url:
                response.failure(f"redirected to {response.url}")

    @task(3)
    def floor(self):
        self.visit("floor")


class NationalViewer(SignedIn):
    weight = 2
    username = PLAN["viewer"]

    def session_key(self) -> str:
        return random.choice(PLAN["viewer_sessions"])

    @task(2)
    def portfolio(self):
        self.visit("portfolio dashboard")

    @task(3)
    def authority_dashboard(self):
        self.visit("authority dashboard", random.choice(PLAN["authorities"]))

    @task(2)
    def area_page(self):
        self.visit("AFI page", random.choice(PLAN["areas"]))


class Officer(SignedIn):
    weight = 1

    def on_start(self):
        self.username, self.areas = random.choice(sorted(PLAN["officers"].items()))
        super().on_start()

    @task(3)
    def my_updates(self):
        self.visit("My updates")

    @task(3)
    def progress_form(self):
        self.visit("progress form", random.choice(self.areas))
