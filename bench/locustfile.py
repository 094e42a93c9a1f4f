"""The benchmark's load (bench/run.sh): signed-in people reading the key pages, and in the
month-end rush writing too. BENCH_SCENARIO picks the scenario:

steady (the default): reads only.
- a national viewer (a viewer of all 153 authorities): the floor page, the portfolio dashboard,
  authority dashboards (today's, and as at a year ago), benchmark pages (an authority beside
  its statistical neighbours) and AFI pages of random authorities;
- officers (one of the seeded `<LA code>.officer` users each): the floor page, My updates, their
  authority's dashboard and the progress form for one of their areas without this month's update.

In both, one client (BENCH_API_CLIENTS) is a tool such as Power BI reading the read-only API:
the first page of each list in turn, a few requests a second, with one of the national viewer's
API tokens and no session.

rush (the month-end rush): the same reads, and about a fifth of all requests (BENCH_WRITE_SHARE,
0.2) are writes, each a real change that restamps its authority's dashboards:
- officers save and submit this month's update on one of the areas they lead (from My updates:
  "Log update" starts it and saves a draft, "Continue" edits the draft or returned update and
  submits it, now and then saves it again instead);
- senior managers (`<LA code>.manager`, BENCH_MANAGERS of them, 1 by default) approve or return
  (three to one) updates from their authority's review queue, and read their dashboard;
- the national viewer looks at the authorities just written to as often as at random ones.
The writers are eager (their write tasks weigh most), and a write is done only when the share
of writes so far is below the target, a read otherwise: the mix stays a fifth whatever the
pacing, as long as there are enough writers (bench/report.py prints the share reached).
Each client acts as one person at a time; an officer with nothing left to do this month (every
area's update submitted or approved) or a manager with an empty queue becomes another one, and
that is counted as "nothing to do", not an error, so a reused database works run after run.
The counts, and the slowest dashboard views with how long after a write to their authority they
came, go to LOCUST_CSV_PREFIX_extra.json for bench/report.py.

Every request is named after the page it measures; a page that is not built yet is skipped (and
reported so). A redirect to the sign-in page or any status other than 200 is an error; a write
is an error unless it redirects where a successful save does (a refused form shows again, 200).
"""

import itertools
import json
import os
import random
import re
import time
from collections import Counter, deque
from pathlib import Path

import urllib3
from locust import HttpUser, between, events, task

urllib3.disable_warnings()  # the certificate is bench/run.sh's own, for 127.0.0.1

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text(encoding="utf-8"))
PAGES = PLAN["pages"]
RUSH = os.environ.get("BENCH_SCENARIO", "steady") == "rush"
WRITE_SHARE = float(os.environ.get("BENCH_WRITE_SHARE", "0.2"))
AS_AT = "authority dashboard as at a year ago"

# Shared by every client of this locust process.
COUNTS = Counter()  # reads and writes so far (the write share), and "nothing to do"
RECENTLY_WRITTEN: deque[int] = deque(maxlen=20)  # authority pks, newest last
WRITTEN_AT: dict[int, float] = {}  # authority pk: when a write to it last succeeded
SLOWEST: list[dict] = []  # the slowest dashboard views, for bench/report.py
DASHBOARDS = ("authority dashboard", AS_AT, "portfolio dashboard", "benchmark page")
OFFICERS_IN_USE: set[str] = set()  # one client per officer: no client edits another's update
MANAGERS_IN_USE: set[str] = set()

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
ERRORS = re.compile(r'class="govuk-error-summary__list".*?</ul>', re.S)
TAGS = re.compile(r"<[^>]+>")


def page_url(label: str, pk=None) -> str:
    template = PAGES[label]
    return template.format(pk=pk) if pk is not None else template


def url_pattern(label: str) -> re.Pattern:
    """Matches the page's URL for any pk (the links in a page), capturing the pk."""
    template = PLAN[label] if label == "update detail" else PAGES[label].split("?")[0]
    return re.compile(re.escape(template).replace(re.escape("{pk}"), r"(\d+)"))


@events.request.add_listener
def _count(request_type, name, **_kwargs):
    if not name.endswith("(setup)"):
        COUNTS["writes" if request_type == "POST" else "reads"] += 1


@events.quitting.add_listener
def _save_counts(environment, **_kwargs):
    prefix = getattr(environment.parsed_options, "csv_prefix", None)
    if prefix:
        extra = {"scenario": "rush" if RUSH else "steady", "counts": dict(COUNTS)}
        extra["slowest"] = sorted(SLOWEST, key=lambda s: -s["ms"])
        Path(f"{prefix}_extra.json").write_text(json.dumps(extra), encoding="utf-8")


def wrote(authority_pk: int) -> None:
    RECENTLY_WRITTEN.append(authority_pk)
    WRITTEN_AT[authority_pk] = time.monotonic()


def note_time(label: str, pk, started: float) -> None:
    """Keeps the five slowest views of each dashboard, with how long before them a write to
    that authority succeeded (None: none in this run; the portfolio: the latest write anywhere)."""
    if label not in DASHBOARDS:
        return
    now = time.monotonic()
    last = max(WRITTEN_AT.values(), default=None) if pk is None else WRITTEN_AT.get(pk)
    SLOWEST.append(
        {
            "label": label,
            "pk": pk,
            "ms": round((now - started) * 1000),
            "after write s": None if last is None else round(started - last, 1),
        }
    )
    mine = sorted((s for s in SLOWEST if s["label"] == label), key=lambda s: -s["ms"])
    for dropped in mine[5:]:
        SLOWEST.remove(dropped)


def writes_due() -> bool:
    return COUNTS["writes"] < WRITE_SHARE * (COUNTS["reads"] + COUNTS["writes"] + 1)


def nothing_to_do(what: str) -> None:
    COUNTS[f"nothing to do: {what}"] += 1


def refusal(text: str) -> str:
    """What a form that showed again says is wrong (its error summary), briefly."""
    found = ERRORS.search(text)
    said = " ".join(TAGS.sub(" ", found.group(0)).split()) if found else "no error summary"
    return f"refused (200): {said[:120]}"


class SignedIn(HttpUser):
    abstract = True
    # Paced so that the server is busy but not saturated: a saturated server queues every page
    # behind the others, and every p95 (the floor's too) becomes mostly waiting time.
    wait_time = between(0.5, 1.5)
    username = ""

    def on_start(self):
        self.client.verify = False  # bench/run.sh's own throwaway certificate, on loopback
        self.sign_in()

    def sign_in(self):
        # A session made by bench/prepare.py as sign-in makes one: what is measured is pages.
        self.client.cookies.set(PLAN["cookie"], self.session_key(), domain="127.0.0.1")
        response = self.client.get(PAGES["floor"], name="sign in check (setup)")
        if "/accounts/sign-in/" in response.url or "Sign out" not in response.text:
            raise RuntimeError(f"{self.username} is not signed in")

    def session_key(self) -> str:
        return PLAN["sessions"][self.username][0]

    def visit(self, label: str, pk: int | None = None):
        """GETs the page; returns its HTML, or None when it failed or is not built."""
        if PAGES.get(label) is None:
            return None  # not built yet
        started = time.monotonic()
        with self.client.get(page_url(label, pk), name=label, catch_response=True) as response:
            note_time(label, pk, started)
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif response.history or "/accounts/sign-in/" in response.url:
                response.failure(f"redirected to {response.url}")
            else:
                return response.text
        return None

    def form(self, label: str, pk: int) -> str | None:
        """GETs a form page without following redirects: its HTML, or None when the page sends
        the person elsewhere (the update moved on meanwhile: nothing to do) or failed."""
        with self.client.get(
            page_url(label, pk), name=label, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 200:
                return response.text
            if response.status_code == 302 and "/accounts/sign-in/" not in response.headers.get(
                "Location", ""
            ):
                response.success()
                nothing_to_do(f"{label} moved on")
                return None
            response.failure(f"status {response.status_code} {response.headers.get('Location')}")
        return None

    def post(self, label: str, url: str, data: dict, form_html: str, success: str) -> str | None:
        """POSTs a form as a browser does (its CSRF token, the Referer of its page) and counts it
        a success only when it redirects to `success` (a URL pattern): returns where to, or None
        when it failed."""
        token = CSRF.search(form_html)
        if not token:
            # Counted as a failed write: the form page must carry its token.
            self.environment.events.request.fire(
                request_type="POST",
                name=label,
                response_time=0,
                response_length=0,
                exception=RuntimeError("no CSRF token on the form page"),
                context={},
            )
            return None
        with self.client.post(
            url,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            headers={"Referer": self.host + url},
            name=label,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and re.fullmatch(success, location.split("?")[0]):
                return location
            if response.status_code == 200:
                response.failure(refusal(response.text))
            else:
                response.failure(f"status {response.status_code} {location}")
        return None

    @task(3)
    def floor(self):
        self.visit("floor")


class NationalViewer(SignedIn):
    weight = 2
    username = PLAN["viewer"]

    def session_key(self) -> str:
        return random.choice(PLAN["viewer_sessions"])

    def an_authority(self) -> int:
        # In the rush, half the time an authority just written to (its dashboards rebuilt).
        if RUSH and RECENTLY_WRITTEN and random.random() < 0.5:
            return random.choice(RECENTLY_WRITTEN)
        return random.choice(PLAN["authorities"])

    @task(2)
    def portfolio(self):
        self.visit("portfolio dashboard")

    @task(3)
    def authority_dashboard(self):
        self.visit("authority dashboard", self.an_authority())

    @task(1)
    def authority_dashboard_a_year_ago(self):
        self.visit(AS_AT, self.an_authority())

    @task(2)
    def area_page(self):
        self.visit("AFI page", random.choice(PLAN["areas"]))

    @task(2)
    def benchmark_page(self):
        # Any authority's comparison with its neighbours: what Ofsted published is everyone's.
        self.visit("benchmark page", random.choice(PLAN["authorities"]))


class ApiReader(HttpUser):
    """A tool reading the API as Power BI does: a token in the header, no session, no cookies.

    It reads the lists in turn, with a short pause between requests (a refresh reads page after
    page): each list is read 40-50 times in a 90-second run, so its p95 is a percentile and not
    its single slowest request (at a request every second, as before, each list was read 7-20
    times and one slow request of any cause decided its p95)."""

    abstract = not PLAN.get("api_lists")  # an older plan: not built yet
    fixed_count = int(os.environ.get("BENCH_API_CLIENTS", "1"))
    wait_time = between(0.1, 0.4)

    def on_start(self):
        self.client.verify = False
        lists = list(PLAN["api_lists"])
        random.shuffle(lists)
        self.lists = itertools.cycle(lists)

    @task
    def api_list(self):
        label = next(self.lists)
        token = random.choice(PLAN["api_tokens"])
        with self.client.get(
            page_url(label),
            name=label,
            headers={"Authorization": f"Bearer {token}"},
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif '"results"' not in response.text:
                response.failure("not a page of the API")


class Officer(SignedIn):
    """One officer at a time: the areas they lead come from their My updates page."""

    weight = 1
    abstract = RUSH

    def on_start(self):
        self.client.verify = False
        self.become_another()

    def on_stop(self):
        OFFICERS_IN_USE.discard(self.username)

    def become_another(self):
        OFFICERS_IN_USE.discard(self.username)
        free = sorted(set(PLAN["officers"]) - OFFICERS_IN_USE) or sorted(PLAN["officers"])
        self.username = random.choice(free)
        OFFICERS_IN_USE.add(self.username)
        self.authority = PLAN["authority_by_code"][self.username.split(".")[0]]
        self.to_log: list[int] = []  # areas without this month's update ("Log update")
        self.to_continue: list[int] = []  # this month's drafts and returned updates ("Continue")
        self.sign_in()
        self.my_updates()

    @task(3)
    def my_updates(self):
        html = self.visit("My updates")
        if html is not None:
            self.to_log = [int(pk) for pk in url_pattern("progress form").findall(html)]
            self.to_continue = [int(pk) for pk in url_pattern("draft form").findall(html)]

    @task(3)
    def progress_form(self):
        if self.to_log:
            self.visit("progress form", random.choice(self.to_log))
        elif self.to_continue:  # this month's update started on every area: continue one
            update_pk = random.choice(self.to_continue)
            if self.form("draft form", update_pk) is None:
                self.to_continue.remove(update_pk)
        else:  # every area's update submitted or approved: another officer's turn
            nothing_to_do("officer, every area submitted or approved")
            self.become_another()

    @task(1)
    def authority_dashboard(self):
        self.visit("authority dashboard", self.authority)


class RushOfficer(Officer):
    """The month-end rush: an officer who also saves and submits this month's updates."""

    weight = 3  # enough writers for a fifth of the requests with 6 clients
    abstract = not RUSH

    @task(12)
    def write(self):
        if not writes_due():  # a read instead, so that the load stays the same
            return random.choice([self.my_updates, self.progress_form, self.floor])()
        # The areas' states as My updates last showed them (kept up to date by the writes below).
        if not self.to_log and not self.to_continue:
            self.my_updates()
        work = [("log", pk) for pk in self.to_log] + [("continue", pk) for pk in self.to_continue]
        if not work:
            nothing_to_do("officer, every area submitted or approved")
            self.become_another()
            return
        kind, pk = random.choice(work)
        if kind == "log":
            self.start_update(pk)
        else:
            self.continue_update(pk)

    def narrative(self) -> dict:
        return {
            "rag": random.choice(["red", "amber", "amber", "green", "green"]),
            "what_was_done": "Audited 20 case files with team managers; supervision records now "
            "show the child's plan and the reasons for decisions.",
            "impact": "Fewer drift cases at the monthly performance clinic.",
            "evidence": "Audit summary and the performance clinic's minutes.",
            "next_steps": "Repeat the audit next month in the disabled children's team.",
        }

    def start_update(self, area_pk: int):
        self.to_log.remove(area_pk)
        html = self.form("progress form", area_pk)
        if html is None:
            return
        if f'value="{PLAN["this_month"]}"' not in html:
            nothing_to_do("officer, this month already logged")
            return
        url = page_url("progress form", area_pk)
        data = {"month": PLAN["this_month"], **self.narrative(), "save_draft": "Save as draft"}
        saved = self.post("save", url, data, html, success=url_pattern("update detail").pattern)
        if saved:
            wrote(self.authority)
            self.to_continue.append(int(url_pattern("update detail").fullmatch(saved).group(1)))

    def continue_update(self, update_pk: int):
        html = self.form("draft form", update_pk)
        if html is None:
            if update_pk in self.to_continue:
                self.to_continue.remove(update_pk)
            return
        version = VERSION.search(html)
        url = page_url("draft form", update_pk)
        data = {"version": version.group(1) if version else "", **self.narrative()}
        if random.random() < 0.2:  # saved again, to finish later
            label, success = "save", url_pattern("update detail").pattern
            data["save_draft"] = "Save as draft"
        else:
            label, success = "submit", re.escape(PAGES["My updates"])
            data["submit_update"] = "Submit for review"
        if self.post(label, url, data, html, success=success):
            wrote(self.authority)
            if label == "submit" and update_pk in self.to_continue:
                self.to_continue.remove(update_pk)


class Manager(SignedIn):
    """The month-end rush: a senior manager of one authority at a time, working through its
    review queue; moves to another authority (preferring those officers are writing to) when
    the queue is empty."""

    abstract = not RUSH
    fixed_count = int(os.environ.get("BENCH_MANAGERS", "1"))

    def on_start(self):
        self.client.verify = False
        self.waiting = list(PLAN["waiting_for_review"])
        self.become_another()

    def on_stop(self):
        MANAGERS_IN_USE.discard(self.username)

    def become_another(self):
        MANAGERS_IN_USE.discard(self.username)
        busy = {name.split(".")[0] for name in OFFICERS_IN_USE}
        candidates = busy if busy and random.random() < 0.5 else set(self.waiting) or busy
        candidates = candidates or set(PLAN["authority_by_code"])
        free = sorted(c for c in candidates if f"{c}.manager" not in MANAGERS_IN_USE)
        code = random.choice(free or sorted(candidates))
        self.username = f"{code}.manager"
        MANAGERS_IN_USE.add(self.username)
        self.authority = PLAN["authority_by_code"][code]
        self.queue: list[int] = []  # updates waiting, as the review queue last showed them
        self.sign_in()

    @task(2)
    def authority_dashboard(self):
        self.visit("authority dashboard", self.authority)

    def review_queue(self):
        html = self.visit("review queue")
        if html is not None:
            self.queue = [int(pk) for pk in url_pattern("review form").findall(html)]

    @task(10)
    def review(self):
        if not writes_due():  # a read instead, so that the load stays the same
            return self.review_queue()
        if not self.queue:
            self.review_queue()
        if not self.queue:
            nothing_to_do("manager, review queue empty")
            code = self.username.split(".")[0]
            if code in self.waiting:
                self.waiting.remove(code)
            self.become_another()
            return
        update_pk = random.choice(self.queue[:5])
        self.queue.remove(update_pk)
        html = self.form("review form", update_pk)
        if html is None:
            return
        if 'name="decision"' not in html:
            nothing_to_do("manager, update no longer waiting")
            return
        version = VERSION.search(html)
        data = {"version": version.group(1) if version else ""}
        if random.random() < 0.75:
            label, data["decision"], data["comment"] = "approve", "approve", ""
        else:
            label, data["decision"] = "return", "return"
            data["comment"] = (
                "Please add the audit's figures to the evidence and say who owns the next step."
            )
        success = re.escape(PAGES["review queue"])
        if self.post(label, page_url("review form", update_pk), data, html, success=success):
            wrote(self.authority)
