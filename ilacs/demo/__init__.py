"""Demo data: users for every role and real inspections of three authorities with plausible plans
and monthly progress. Everything here is idempotent: a second run finds what the first made and
adds only what is missing (a later month's updates, say), never duplicates.
"""

from __future__ import annotations

import datetime
import itertools
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import LocalAuthority, Membership, Role
from core.months import add_months, month_start
from ilacs.demo import between_inspections
from improvement_plans import rules
from improvement_plans.models import (
    Action,
    ActionStatus,
    ImprovementPlan,
    ProgressUpdate,
    Rag,
    UpdateStatus,
)
from inspections.models import (
    GRADED_EVENT_TYPES,
    EventType,
    Finding,
    FindingKind,
    Framework,
    Inspection,
    Judgement,
    JudgementArea,
)
from inspections.services import title_from_text

DEMO_INSPECTIONS = Path(__file__).resolve().parent / "inspections.json"
DEMO_AUTHORITIES = ("North Somerset", "Gateshead", "Brent")
DEMO_PASSWORD = "demo-password-1"  # noqa: S105 – printed for people trying the app, never in production


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str  # a Role value, or "administrator"
    authorities: tuple[str, ...]
    description: str


DEMO_USERS = (
    DemoUser(
        "admin",
        "Ada",
        "Admin",
        "administrator",
        (),
        "Administrator: every authority, the admin site",
    ),
    DemoUser(
        "ns.officer", "Olu", "Okafor", Role.OFFICER, ("North Somerset",), "Officer, North Somerset"
    ),
    DemoUser(
        "ns.manager",
        "Mina",
        "Shah",
        Role.MANAGER,
        ("North Somerset",),
        "Senior manager, North Somerset",
    ),
    DemoUser(
        "gateshead.officer", "Gary", "Hall", Role.OFFICER, ("Gateshead",), "Officer, Gateshead"
    ),
    DemoUser(
        "gateshead.manager",
        "Grace",
        "Robson",
        Role.MANAGER,
        ("Gateshead",),
        "Senior manager, Gateshead",
    ),
    DemoUser("brent.officer", "Bola", "Adeyemi", Role.OFFICER, ("Brent",), "Officer, Brent"),
    DemoUser("brent.manager", "Brian", "Patel", Role.MANAGER, ("Brent",), "Senior manager, Brent"),
    DemoUser(
        "ns.councillor",
        "Carol",
        "Jones",
        Role.VIEWER,
        ("North Somerset",),
        "Viewer (councillor), North Somerset",
    ),
    DemoUser(
        "regional.viewer",
        "Rhys",
        "Evans",
        Role.VIEWER,
        DEMO_AUTHORITIES,
        "Viewer of all three authorities (regional improvement adviser)",
    ),
)

ACTION_TEMPLATES = (
    (
        "Agree a practice standard for {topic} and brief every team on it",
        "Head of Service, Quality and Practice",
    ),
    (
        "Run a themed audit of {topic} and report findings to the improvement board",
        "Principal Social Worker",
    ),
    (
        "Deliver training on {topic} to team managers and practice supervisors",
        "Workforce Development Lead",
    ),
    ("Add {topic} to the monthly performance scorecard", "Performance and Intelligence Manager"),
)

DONE = (
    "Themed audit of {n} cases completed; findings shared at the practice forum.",
    "Team managers attended a workshop on {topic}; {n} staff now trained.",
    "Revised guidance on {topic} published on the practice hub.",
    "Dip sample of {n} records reviewed with team managers in supervision.",
    "New performance report on {topic} discussed at the improvement board.",
)
IMPACT = {
    Rag.RED: "Audit grades not yet improving: {p}% of sampled cases rated good or better.",
    Rag.AMBER: "Some improvement: {p}% of sampled cases rated good or better, up from the baseline.",
    Rag.GREEN: "Consistent improvement: {p}% of sampled cases rated good or better for three months.",
    Rag.COMPLETE: "Improvement sustained: {p}% of sampled cases rated good or better; now business as usual.",
}
NEXT = {
    Rag.RED: "Escalate to the improvement board; recovery actions agreed with the head of service.",
    Rag.AMBER: "Repeat the audit next month; target teams where practice is weakest.",
    Rag.GREEN: "Keep monitoring through the scorecard; plan to close when sustained.",
    Rag.COMPLETE: "Monitor through routine quality assurance.",
}


def _at(day: datetime.date, *, days: int = 0) -> datetime.datetime:
    """10 a.m. on `day` (plus `days`): when a seeded record is dated as made."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=days), datetime.time(10), tzinfo=datetime.UTC
    )


def update_recorded_at(update) -> datetime.datetime:
    """When a seeded update reached its status: reviewed, else submitted, else written (early in
    the month after the one it covers)."""
    return update.reviewed_at or update.submitted_at or _at(add_months(update.month, 1))


def _topic(finding: Finding) -> str:
    words = finding.title.rstrip(".").split()
    topic = " ".join(words[:8])
    return topic[0].lower() + topic[1:] if topic else "practice"


def rag_journey(months: int, rng: random.Random) -> list[str]:
    """A plausible RAG path: starts red or amber, improves with setbacks, may end complete."""
    journey = []
    level = rng.choice([0, 0, 1])  # 0 red, 1 amber, 2 green, 3 complete
    for month in range(months):
        if level < 2 and rng.random() < 0.18:
            level += 1
        elif level == 2 and month > months * 0.7 and rng.random() < 0.15:
            level = 3
        elif level in (1, 2) and rng.random() < 0.06:
            level -= 1  # a setback
        journey.append([Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE][level])
    return journey


class DemoSeeder:
    """Builds the demo data. `today` fixes "now" so that runs (and tests) are repeatable."""

    def __init__(self, *, today: datetime.date | None = None, stdout=None):
        self.today = today or timezone.localdate()
        self.stdout = stdout
        self.users: dict[str, object] = {}
        # Last month's updates of each authority's open areas, in turn: one waits for approval,
        # one is back with its officer, one is a draft, one approved, and so on.
        self._last_month_states = defaultdict(
            lambda: itertools.cycle(
                [
                    UpdateStatus.SUBMITTED,
                    UpdateStatus.RETURNED,
                    UpdateStatus.DRAFT,
                    UpdateStatus.APPROVED,
                ]
            )
        )

    def run(self) -> None:
        with transaction.atomic():
            self._users()
            records = json.loads(DEMO_INSPECTIONS.read_text(encoding="utf-8"))["inspections"]
            records.sort(key=lambda r: (r["authority"], r["start_date"]))
            for authority in sorted({r["authority"] for r in records}):
                timeline = [
                    SimpleNamespace(
                        record=r,
                        start_date=datetime.date.fromisoformat(r["start_date"]),
                        event_type=r["event_type"],
                    )
                    for r in records
                    if r["authority"] == authority
                ]
                # The same rule as every page (improvement_plans.rules.current_cycle): the
                # current cycle's areas have a lead who reports on them up to last month; an
                # earlier plan was reported on until the next graded inspection started.
                current = {id(event) for event in rules.current_cycle(timeline)}
                for event in timeline:
                    later_graded = [
                        e.start_date
                        for e in timeline
                        if e.event_type in GRADED_EVENT_TYPES and e.start_date > event.start_date
                    ]
                    until = min(later_graded) if later_graded else self.today
                    self._inspection(event.record, until, current=id(event) in current)
            # Between inspections: the evidence library, evidence files, the readiness checklist
            # and this year's engagement meeting (ilacs/demo/between_inspections.py).
            for authority in LocalAuthority.objects.filter(name__in=DEMO_AUTHORITIES).order_by(
                "name"
            ):
                between_inspections.seed(
                    authority,
                    officer=self._user_for(authority, "officer"),
                    manager=self._user_for(authority, "manager"),
                    today=self.today,
                )

    def _users(self) -> None:
        user_model = get_user_model()
        authorities = {a.name: a for a in LocalAuthority.objects.filter(name__in=DEMO_AUTHORITIES)}
        missing = set(DEMO_AUTHORITIES) - set(authorities)
        if missing:
            raise LookupError(
                f"Load the authorities first (manage.py load_authorities): {', '.join(sorted(missing))} missing"
            )
        password_hash = make_password(DEMO_PASSWORD)  # hashing is slow by design: do it once
        for demo in DEMO_USERS:
            user, created = user_model.objects.get_or_create(
                username=demo.username,
                defaults={
                    "first_name": demo.first_name,
                    "last_name": demo.last_name,
                    "email": f"{demo.username}@example.org",
                    "is_staff": demo.role == "administrator",
                    "is_superuser": demo.role == "administrator",
                },
            )
            if created:
                user.password = password_hash
                user.save(update_fields=["password"])
            self.users[demo.username] = user
            for name in demo.authorities:
                Membership.objects.get_or_create(
                    user=user, authority=authorities[name], defaults={"role": demo.role}
                )

    def _user_for(self, authority: LocalAuthority, role: str):
        prefix = {"North Somerset": "ns", "Gateshead": "gateshead", "Brent": "brent"}[
            authority.name
        ]
        return self.users[f"{prefix}.{role}"]

    def _inspection(self, record: dict, until: datetime.date, *, current: bool) -> None:
        authority = LocalAuthority.objects.get(name=record["authority"])
        start = datetime.date.fromisoformat(record["start_date"])
        admin = self.users["admin"]
        inspection = Inspection.objects.filter(
            authority=authority, event_type=record["event_type"], start_date=start
        ).first()
        if inspection is None:
            inspection = Inspection(
                authority=authority,
                event_type=record["event_type"],
                framework=Framework.in_force_on(start),
                start_date=start,
                end_date=datetime.date.fromisoformat(record["end_date"]),
                published_date=datetime.date.fromisoformat(record["published_date"]),
                # The council published the report on its own website a fortnight later, well
                # within the 30 working days, so the demo's deadline reads "Met on ...".
                report_published_by_authority_on=(
                    datetime.date.fromisoformat(record["published_date"])
                    + datetime.timedelta(days=14)
                    if record["event_type"] in GRADED_EVENT_TYPES
                    else None
                ),
                lead_inspector=record["lead_inspector"],
                report_url=record["report_url"],
            )
            inspection._history_user = admin
            # Recorded when its report came out, as a council would have (as-at pictures).
            inspection._history_date = min(_at(inspection.published_date), timezone.now())
            inspection.full_clean()
            inspection.save()
        areas = {a.code: a for a in JudgementArea.objects.filter(framework=inspection.framework_id)}
        existing_grades = set(inspection.judgements.values_list("area__code", flat=True))
        for code, grade in record["judgements"].items():
            if code not in existing_grades:
                judgement = Judgement(inspection=inspection, area=areas[code], grade=grade)
                judgement._history_user = admin
                judgement._history_date = min(_at(inspection.published_date), timezone.now())
                judgement.full_clean()
                judgement.save()
        findings = self._findings(inspection, record["areas_for_improvement"], current=current)
        if findings and inspection.event_type != EventType.SIF:
            self._plan(inspection, findings, until)

    def _findings(
        self, inspection: Inspection, texts: list[str], *, current: bool
    ) -> list[Finding]:
        existing = {
            f.order: f for f in inspection.findings.filter(kind=FindingKind.AREA_FOR_IMPROVEMENT)
        }
        # Only the current plan's areas have a lead who logs monthly updates.
        officer = self._user_for(inspection.authority, "officer") if current else None
        findings = []
        for order, text in enumerate(texts, start=1):
            finding = existing.get(order)
            if finding is None:
                finding = Finding(
                    inspection=inspection,
                    kind=FindingKind.AREA_FOR_IMPROVEMENT,
                    title=title_from_text(text),
                    text=text,
                    order=order,
                    lead=officer,
                )
                finding._history_user = self.users["admin"]
                finding._history_date = min(_at(inspection.published_date), timezone.now())
                finding.full_clean()
                finding.save()
            findings.append(finding)
        return findings

    def _plan(self, inspection: Inspection, findings: list[Finding], until: datetime.date) -> None:
        published = inspection.published_date
        if not ImprovementPlan.objects.filter(inspection=inspection).exists():
            plan = ImprovementPlan(
                inspection=inspection,
                submitted_on=published + datetime.timedelta(days=84),
                accepted_on=published + datetime.timedelta(days=112),
            )
            plan._history_user = self.users["admin"]
            plan._history_date = min(_at(plan.accepted_on), timezone.now())
            plan.save()
        officer = self._user_for(inspection.authority, "officer")
        manager = self._user_for(inspection.authority, "manager")
        first_month = add_months(month_start(published), 1)
        last_month = add_months(month_start(until), -1)
        months = []
        month = first_month
        while month <= last_month:
            months.append(month)
            month = add_months(month, 1)
        for finding in findings:
            # Separate streams, so that skipping what exists on a rerun changes nothing else.
            seed = f"{inspection.authority.name}-{inspection.start_date}-{finding.order}"
            self._actions(finding, random.Random(f"{seed}-actions"), published)
            self._updates(finding, months, random.Random(f"{seed}-updates"), officer, manager)

    def _actions(self, finding: Finding, rng: random.Random, published: datetime.date) -> None:
        if finding.actions.exists():
            return
        topic = _topic(finding)
        for order, (description, owner) in enumerate(rng.sample(ACTION_TEMPLATES, 3), start=1):
            due = published + datetime.timedelta(days=rng.randint(60, 900))
            if due < self.today - datetime.timedelta(days=60):
                status, completed_on = (
                    ActionStatus.COMPLETE,
                    due - datetime.timedelta(days=rng.randint(0, 20)),
                )
            elif due < self.today + datetime.timedelta(days=90):
                status, completed_on = ActionStatus.IN_PROGRESS, None
            else:
                status, completed_on = ActionStatus.NOT_STARTED, None
            action = Action(
                area_for_improvement=finding,
                description=description.format(topic=topic),
                owner=owner,
                due_date=due,
                status=status,
                completed_on=completed_on,
                order=order,
            )
            action._history_user = self.users["admin"]
            # Its history as it would have been made: planned within a month of the report,
            # marked complete on the day it was completed.
            action._history_date = _at(published + datetime.timedelta(days=21))
            if completed_on is not None:
                action.status, action.completed_on = ActionStatus.IN_PROGRESS, None
            action.full_clean()
            action.save()
            if completed_on is not None:
                action.status, action.completed_on = ActionStatus.COMPLETE, completed_on
                action._history_date = _at(completed_on)
                action.save()

    def _updates(self, finding, months, rng, officer, manager) -> None:
        existing = set(finding.progress_updates.values_list("month", flat=True))
        journey = rag_journey(len(months), random.Random(rng.random()))
        topic = _topic(finding)
        completed = False
        new_updates = []
        for index, (month, rag) in enumerate(zip(months, journey, strict=True)):
            if completed:
                break  # once complete, monthly reporting on the area stops
            completed = rag == Rag.COMPLETE
            if month in existing:
                continue
            percent = {Rag.RED: 35, Rag.AMBER: 55, Rag.GREEN: 75, Rag.COMPLETE: 85}[
                rag
            ] + rng.randint(-5, 8)
            is_latest = index == len(months) - 1 and months[-1] == add_months(
                month_start(self.today), -1
            )
            # The last month is still moving through approval, as it would be on a real Monday:
            # one of each state, so every demo account sees real work.
            status = (
                next(self._last_month_states[finding.inspection.authority_id])
                if is_latest
                else UpdateStatus.APPROVED
            )
            reviewed = status in (UpdateStatus.APPROVED, UpdateStatus.RETURNED)
            written = datetime.datetime.combine(
                add_months(month, 1), datetime.time(10), tzinfo=datetime.UTC
            )
            update = ProgressUpdate(
                area_for_improvement=finding,
                month=month,
                rag=rag,
                what_was_done=rng.choice(DONE).format(topic=topic, n=rng.randint(8, 40)),
                impact=IMPACT[rag].format(p=percent),
                evidence=f"Audit tool results for {month:%B %Y}; performance scorecard; supervision records.",
                next_steps=NEXT[rag],
                author=officer,
                status=status,
                submitted_at=written if status != UpdateStatus.DRAFT else None,
                reviewed_by=manager if reviewed else None,
                reviewed_at=min(written + datetime.timedelta(days=3), timezone.now())
                if reviewed
                else None,
                review_comment="Say what the audits found this month, with the figures."
                if status == UpdateStatus.RETURNED
                else "",
            )
            # Its history row is dated when it reached this status (as-at pictures of the past).
            update._history_date = min(update_recorded_at(update), timezone.now())
            # The database holds the uniqueness and month constraints; skipping their per-row
            # queries keeps seeding a few seconds long.
            update.full_clean(
                exclude=["area_for_improvement", "author", "reviewed_by"],
                validate_unique=False,
                validate_constraints=False,
            )
            new_updates.append(update)
        bulk_create_with_history(new_updates, ProgressUpdate, default_user=officer)
