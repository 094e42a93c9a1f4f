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
import re
from pathlib import Path

import urllib3
from locust import HttpUser, between, task

urllib3.disable_warnings()  # the certificate is bench/run.sh's own, for 127.0.0.1

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text(encoding="utf-8"))
PAGES = PLAN["pages"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.2, 0.6)
    username = ""

    def on_start(self):
        self.client.verify = False  # bench/run.sh's own throwaway certificate, on loopback
        page = self.client.get("/accounts/sign-in/", name="sign in (setup)")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/accounts/sign-in/",
            data={
                "username": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.host + "/accounts/sign-in/"},
            name="sign in (setup)",
        )
        if "/accounts/sign-in/" in response.url:
            raise RuntimeError(f"{self.username} could not sign in")

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
