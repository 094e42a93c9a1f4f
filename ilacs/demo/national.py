"""National-scale synthetic data for the dashboards and the benchmark: all 153 authorities.

`manage.py seed_demo --scale national [--times N]`. Every authority that has no inspection yet
gets a plausible history (the three demo authorities keep their real one):

- a SIF inspection (2014-2017), one or two ILACS inspections about three years apart (standard after
  requires improvement or inadequate, short after good or outstanding), grades that drift one step
  at a time; focused visits (a quarter set areas for priority action), monitoring visits after an
  inadequate judgement, some JTAIs and yearly annual engagement meetings;
- 3-12 areas for improvement on the latest graded inspection and 3-8 on each earlier one, each with
  actions, and an improvement plan for every graded inspection;
- monthly progress updates for the last 36 months on whichever areas were live each month (the
  latest inspection's from the month after its report, the previous one's before that), with
  history rows; the last month is still moving through approval (draft, submitted, returned,
  approved, or not started), as it would be on a real working day;
- an officer and a senior manager per authority (`<LA code>.officer`, `<LA code>.manager`) and
  `national.viewer`, a viewer of every authority (the national picture).

`--times N` keeps each authority's *current* picture the same size (the dashboards show the same
number of areas, actions and months) and puts N times the data behind it: every earlier inspection
has N times as many areas for improvement (each with its actions), monthly updates go back
36 x N months (to the authority's first inspection when that is sooner), and every earlier cycle's
areas are reported on through their cycle. That is what a database that has been in use for
years looks like, and it is what a dashboard must not slow down with.

Fast: rows go in with bulk_create (simple_history's bulk_create_with_history for models with
history), an authority at a time, without per-row validation; the generator keeps the database's
constraints by construction. Deterministic: a seeded random stream per authority.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import LocalAuthority, Membership, Role
from core.months import add_months
from ilacs.demo import (
    ACTION_TEMPLATES,
    DEMO_PASSWORD,
    DONE,
    IMPACT,
    NEXT,
    _at,
    rag_journey,
    update_recorded_at,
)
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
    Grade,
    Inspection,
    Judgement,
    JudgementArea,
)

UPDATE_MONTHS = 36
NATIONAL_VIEWER = "national.viewer"
GRADES = [Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT, Grade.GOOD, Grade.OUTSTANDING]

TOPICS = (
    "The quality and impact of management oversight and supervision",
    "The quality of assessments, including the analysis of risk and need",
    "The quality of plans for children in need and children subject to a child protection plan",
    "The timeliness of initial child protection conferences",
    "Sufficiency of placements that meet children's needs close to home",
    "The quality of pathway plans for care leavers",
    "The response to children who go missing and return home interviews",
    "Permanence planning for children in care, including early permanence",
    "The quality of direct work with children to understand their lived experience",
    "Caseloads and the stability of the social work workforce",
    "The effectiveness of the front door and multi-agency decisions",
    "Support for disabled children and their families",
    "Health assessments and access to emotional well-being support for children in care",
    "The identification and response to neglect",
    "Education, employment and training for care leavers",
    "Private fostering arrangements and their oversight",
    "Performance information and quality assurance that drive improvement",
    "The consistency of practice in the assessment of parenting capacity",
    "Supervision of children subject to pre-proceedings",
    "Recording of decisions and the reasons for them",
)


@dataclass(frozen=True)
class SeedCounts:
    authorities: int
    inspections: int
    afis: int
    actions: int
    updates: int


def bulk_insert_with_history(
    objs: list, model, *, user, batch_size: int = 400, recorded_at=None
) -> list:
    """Inserts unsaved instances and one "created" history row each, like simple_history's
    bulk_create_with_history, but with plain multi-row INSERTs: Django's bulk_create spends most
    of its time preparing each value, which made seeding ten times the data take minutes. Sets
    each instance's pk (INSERT ... RETURNING, as bulk_create does) and returns the instances.
    Model-level defaults apply; `created_at`/`updated_at` are now. No signals, no validation:
    the caller builds valid rows. `recorded_at(obj)` dates each history row (when the record
    would have been made, so that as-at pictures of the seeded past look as it would have);
    now by default."""
    if not objs:
        return objs
    now = timezone.now()
    ops, quote = connection.ops, connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    history = model.history.model
    history_fields = [f for f in history._meta.concrete_fields if f.attname != "history_id"]

    def adapt(field, value):
        if value is None:
            return None
        kind = field.get_internal_type()
        if kind == "DateTimeField":
            return ops.adapt_datetimefield_value(value)
        if kind == "DateField":
            return ops.adapt_datefield_value(value)
        return value

    def insert(cursor, table, columns, rows, returning):
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        sql = (
            # Identifiers come from the model and are quoted; every value is a parameter.
            f"INSERT INTO {quote(table)} ({', '.join(quote(c.column) for c in columns)}) "  # noqa: S608
            f"VALUES {', '.join([placeholders] * len(rows))}"
        )
        params = [adapt(c, row[c.attname]) for row in rows for c in columns]
        if returning:
            cursor.execute(sql + f" RETURNING {quote(model._meta.pk.column)}", params)
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(sql, params)
        return []

    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            rows = []
            for obj in batch:
                obj.created_at = obj.updated_at = now
                rows.append({f.attname: getattr(obj, f.attname) for f in fields})
            ids = insert(cursor, model._meta.db_table, fields, rows, returning=True)
            for obj, pk, row in zip(batch, ids, rows, strict=True):
                obj.pk = pk
                obj._state.adding = False
                row.update(
                    id=pk,
                    history_date=min(recorded_at(obj), now) if recorded_at else now,
                    history_change_reason=None,
                    history_type="+",
                    history_user_id=user.pk,
                )
            insert(cursor, history._meta.db_table, history_fields, rows, returning=False)
    return objs


def _recorded(inspection) -> datetime.datetime:
    """When a seeded inspection (and its judgements and findings) is dated as recorded: the day
    its report or letter came out, or the last day on site while it has not; never the future."""
    return min(_at(inspection.published_date or inspection.end_date), timezone.now())


def _random_day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


class NationalSeeder:
    """Builds national-scale data. `today` fixes "now"; `times` multiplies the history (see the
    module docstring); `months` is the reporting window at times 1 (tests use fewer)."""

    def __init__(
        self,
        *,
        times: int = 1,
        today: datetime.date | None = None,
        months: int = UPDATE_MONTHS,
        log: Callable[[str], None] | None = None,
    ):
        if times < 1:
            raise ValueError("--times must be 1 or more")
        self.times = times
        self.today = today or timezone.localdate()
        self.months = months
        self.log = log or (lambda message: None)
        self.frameworks = list(Framework.objects.order_by("starts_on"))
        self.judgement_areas: dict[int, list[JudgementArea]] = {}
        for area in JudgementArea.objects.order_by("order"):
            self.judgement_areas.setdefault(area.framework_id, []).append(area)
        self.last_month = add_months(self.today.replace(day=1), -1)
        self.counts = dict(authorities=0, inspections=0, afis=0, actions=0, updates=0)

    def framework_on(self, day: datetime.date) -> Framework:
        return [f for f in self.frameworks if f.starts_on <= day][-1]

    def run(self) -> SeedCounts:
        authorities = list(LocalAuthority.objects.order_by("name"))
        if not authorities:
            raise LookupError("Load the authorities first (manage.py load_authorities)")
        seeded = set(Inspection.objects.values_list("authority_id", flat=True).distinct())
        people = self._people(authorities)
        for number, authority in enumerate(authorities, start=1):
            if authority.pk in seeded:
                continue  # real (demo) or already seeded: rerunning adds nothing
            with transaction.atomic():
                self._authority(authority, *people[authority.pk])
            self.counts["authorities"] += 1
            if number % 25 == 0:
                self.log(f"  {number} of {len(authorities)} authorities")
        return SeedCounts(**self.counts)

    # --- people ------------------------------------------------------------------------------

    def _people(self, authorities: list[LocalAuthority]) -> dict[int, tuple]:
        user_model = get_user_model()
        password = make_password(DEMO_PASSWORD)  # slow by design: hash once
        wanted = {NATIONAL_VIEWER: ("Nadia", "National")}
        for authority in authorities:
            wanted[f"{authority.la_code}.officer"] = ("Officer", authority.name)
            wanted[f"{authority.la_code}.manager"] = ("Manager", authority.name)
        existing = set(
            user_model.objects.filter(username__in=wanted).values_list("username", flat=True)
        )
        user_model.objects.bulk_create(
            [
                user_model(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.org",
                    password=password,
                )
                for username, (first, last) in wanted.items()
                if username not in existing
            ]
        )
        users = {u.username: u for u in user_model.objects.filter(username__in=wanted)}
        memberships = [
            Membership(user=users[NATIONAL_VIEWER], authority=a, role=Role.VIEWER)
            for a in authorities
        ]
        for authority in authorities:
            memberships.append(
                Membership(
                    user=users[f"{authority.la_code}.officer"],
                    authority=authority,
                    role=Role.OFFICER,
                )
            )
            memberships.append(
                Membership(
                    user=users[f"{authority.la_code}.manager"],
                    authority=authority,
                    role=Role.MANAGER,
                )
            )
        Membership.objects.bulk_create(memberships, ignore_conflicts=True)
        return {
            a.pk: (users[f"{a.la_code}.officer"], users[f"{a.la_code}.manager"])
            for a in authorities
        }

    # --- one authority -----------------------------------------------------------------------

    def _timeline(self, rng: random.Random) -> list[tuple[str, datetime.date, str | None]]:
        """(event type, start date, overall grade or None) in date order, none after today."""
        events = []
        latest_possible = self.today - datetime.timedelta(days=120)
        grade = rng.choices(GRADES, weights=[20, 45, 30, 5])[0]
        sif_start = _random_day(rng, datetime.date(2014, 3, 1), datetime.date(2017, 9, 30))
        events.append((EventType.SIF, sif_start, grade))
        start = _random_day(rng, datetime.date(2018, 6, 1), datetime.date(2022, 6, 30))
        while start <= latest_possible:
            grade = GRADES[max(0, min(3, GRADES.index(grade) + rng.choice([-1, 0, 0, 1, 1])))]
            kind = (
                EventType.SHORT if grade in (Grade.GOOD, Grade.OUTSTANDING) else EventType.STANDARD
            )
            previous_start = events[-1][1]
            # Visits in between: monitoring after inadequate, otherwise a focused visit; some JTAIs.
            if events[-1][2] == Grade.INADEQUATE:
                visit = add_months(previous_start, 6)
                while visit < start - datetime.timedelta(days=90):
                    events.append(
                        (EventType.MONITORING_VISIT, visit + datetime.timedelta(days=7), None)
                    )
                    visit = add_months(visit, 5)
            elif previous_start.year >= 2018:
                events.append((EventType.FOCUSED_VISIT, add_months(previous_start, 18), None))
            if rng.random() < 0.3:
                events.append((EventType.JTAI, add_months(previous_start, 10), None))
            events.append((kind, start, grade))
            start = add_months(start, 36 + rng.randint(-6, 6))
        if events[-1][2] != Grade.INADEQUATE and events[-1][1] < add_months(self.today, -20):
            events.append((EventType.FOCUSED_VISIT, add_months(events[-1][1], 18), None))
        for year in range(2019, self.today.year + 1):
            day = datetime.date(year, rng.randint(2, 11), rng.randint(1, 28))
            if day < self.today - datetime.timedelta(days=14):
                events.append((EventType.ANNUAL_ENGAGEMENT, day, None))
        return sorted(
            (e for e in events if e[1] < self.today - datetime.timedelta(days=14)),
            key=lambda e: e[1],
        )

    def _grades_for(self, framework: Framework, overall: str, rng) -> dict[JudgementArea, str]:
        """Overall effectiveness as drawn; the other areas within a grade of it. A framework
        without an overall judgement (ILACS-2026) gets only the others."""
        index = GRADES.index(overall)
        return {
            area: overall
            if area.code == "overall_effectiveness"
            else GRADES[max(0, min(3, index + rng.choice([-1, 0, 0, 0, 1])))]
            for area in self.judgement_areas[framework.pk]
        }

    def _authority(self, authority: LocalAuthority, officer, manager) -> None:
        rng = random.Random(f"national-{authority.ofsted_urn}")
        timeline = self._timeline(rng)
        inspections = []
        for event_type, start, _ in timeline:
            days_on_site = 11 if event_type in (EventType.STANDARD, EventType.SIF) else 4
            end = start + datetime.timedelta(days=days_on_site)
            published = end + datetime.timedelta(days=rng.randint(35, 60))
            inspections.append(
                Inspection(
                    authority=authority,
                    event_type=event_type,
                    framework=self.framework_on(start),
                    start_date=start,
                    end_date=end,
                    published_date=published if published < self.today else None,
                    # A fortnight after Ofsted (no draw from rng: the rest of the data stays).
                    report_published_by_authority_on=(
                        published + datetime.timedelta(days=14)
                        if event_type in GRADED_EVENT_TYPES
                        and published + datetime.timedelta(days=14) < self.today
                        else None
                    ),
                    lead_inspector=rng.choice(["Anna Gravelle", "Tom Anthony", "Nick Stacey"]),
                )
            )
        for inspection in inspections:
            # Recorded when its report came out (the dashboards' as-at pictures of the past).
            inspection._history_date = _recorded(inspection)
        inspections = bulk_create_with_history(inspections, Inspection, default_user=manager)
        self.counts["inspections"] += len(inspections)
        recorded = {inspection.pk: _recorded(inspection) for inspection in inspections}

        judgements, findings = [], []
        graded = [
            (inspection, grade)
            for inspection, (_, _, grade) in zip(inspections, timeline, strict=True)
            if grade
        ]
        latest_graded = graded[-1][0]
        topics = list(TOPICS)
        for inspection, grade in graded:
            for area, area_grade in self._grades_for(inspection.framework, grade, rng).items():
                judgements.append(Judgement(inspection=inspection, area=area, grade=area_grade))
            is_latest = inspection.pk == latest_graded.pk
            count = rng.randint(3, 12) if is_latest else rng.randint(3, 8)
            for order in range(1, count + 1):
                topic = topics[(order - 1 + rng.randint(0, 3)) % len(topics)]
                findings.append(
                    Finding(
                        inspection=inspection,
                        kind=FindingKind.AREA_FOR_IMPROVEMENT,
                        title=topic if order <= len(topics) else f"{topic} ({order})",
                        text=f"{topic}, so that children receive consistently good help.",
                        order=order,
                        lead=officer,
                    )
                )
        for inspection in inspections:
            if inspection.event_type == EventType.FOCUSED_VISIT and rng.random() < 0.25:
                for order in range(1, rng.randint(1, 2) + 1):
                    topic = rng.choice(topics)
                    findings.append(
                        Finding(
                            inspection=inspection,
                            kind=FindingKind.PRIORITY_ACTION,
                            title=topic,
                            text=f"{topic}: an area for priority action.",
                            order=order,
                            lead=officer,
                        )
                    )
        bulk_insert_with_history(
            judgements, Judgement, user=manager, recorded_at=lambda j: recorded[j.inspection_id]
        )
        findings = bulk_insert_with_history(
            findings, Finding, user=manager, recorded_at=lambda f: recorded[f.inspection_id]
        )
        self.counts["afis"] += len(findings)

        planned = {f.inspection_id for f in findings}
        plans = []
        for inspection in inspections:
            if inspection.pk in planned and inspection.published_date:
                submitted = inspection.published_date + datetime.timedelta(
                    days=rng.randint(70, 100)
                )
                plan = ImprovementPlan(
                    inspection=inspection,
                    submitted_on=submitted if submitted < self.today else None,
                    accepted_on=submitted + datetime.timedelta(days=28)
                    if submitted + datetime.timedelta(days=28) < self.today
                    else None,
                )
                # Its one history row, as it now stands, dated when it was last changed.
                plan._history_date = min(
                    _at(plan.accepted_on or plan.submitted_on or inspection.published_date),
                    timezone.now(),
                )
                plans.append(plan)
        bulk_create_with_history(plans, ImprovementPlan, default_user=manager)

        self._actions(findings, inspections, rng, manager)
        window_start = add_months(self.last_month, 1 - self.months)
        reported = self._updates(findings, inspections, rng, officer, manager, since=window_start)
        if self.times > 1:
            self._archive(
                inspections, latest_graded, (self.times - 1) * reported, rng, officer, manager
            )

    def _archive(self, inspections, latest_graded, target, rng, officer, manager) -> None:
        """`--times N`: earlier inspections' plans as they were reported at the time, N-1 times the
        volume of the current picture: more areas on each earlier inspection and visit, each with
        actions and monthly updates through its cycle. Nothing here is current, so the
        dashboards show the same as at times 1 while the tables hold N times the rows."""
        earlier = [
            i
            for i in inspections
            if i.published_date
            and i.start_date < latest_graded.start_date
            and (i.is_graded or i.event_type == EventType.FOCUSED_VISIT)
        ]
        if not earlier or target <= 0:
            return
        findings, expected, order = [], 0, 1000
        while expected < target:
            for inspection in earlier:
                topic = TOPICS[rng.randrange(len(TOPICS))]
                order += 1
                findings.append(
                    Finding(
                        inspection=inspection,
                        kind=FindingKind.AREA_FOR_IMPROVEMENT
                        if inspection.is_graded
                        else FindingKind.PRIORITY_ACTION,
                        title=f"{topic} ({order - 1000})",
                        text=f"{topic}, so that children receive consistently good help.",
                        order=order,
                        lead=officer,
                    )
                )
                # A little under the months an area is usually reported on before it is complete,
                # so that there are enough areas; the updates stop exactly at the target.
                expected += 22
                if expected >= target:
                    break
        recorded = {inspection.pk: _recorded(inspection) for inspection in earlier}
        bulk_insert_with_history(
            findings, Finding, user=manager, recorded_at=lambda f: recorded[f.inspection_id]
        )
        self.counts["afis"] += len(findings)
        self._actions(findings, inspections, rng, manager, archived=True)
        self._updates(
            findings, inspections, rng, officer, manager, since=datetime.date.min, budget=target
        )

    def _actions(self, findings, inspections, rng, manager, *, archived: bool = False) -> None:
        """Three actions per area. `archived` (earlier plans under --times): all done."""
        actions = []
        by_pk = {i.pk: i for i in inspections}
        for finding in findings:
            inspection = by_pk[finding.inspection_id]
            base = inspection.published_date or inspection.end_date
            for order, (description, owner) in enumerate(rng.sample(ACTION_TEMPLATES, 3), 1):
                due = base + datetime.timedelta(days=rng.randint(45, 800))
                if archived:
                    due = min(due, self.today - datetime.timedelta(days=60))
                if archived or (
                    due < self.today - datetime.timedelta(days=45) and rng.random() < 0.85
                ):
                    status = ActionStatus.COMPLETE
                    completed_on = due - datetime.timedelta(days=rng.randint(0, 20))
                elif due < self.today + datetime.timedelta(days=90):
                    status, completed_on = ActionStatus.IN_PROGRESS, None
                else:
                    status, completed_on = ActionStatus.NOT_STARTED, None
                actions.append(
                    Action(
                        area_for_improvement=finding,
                        description=description.format(topic=finding.title[:60].lower()),
                        owner=owner,
                        due_date=due,
                        status=status,
                        completed_on=completed_on,
                        order=order,
                    )
                )
        published = {
            f.pk: by_pk[f.inspection_id].published_date or by_pk[f.inspection_id].end_date
            for f in findings
        }
        bulk_insert_with_history(
            actions,
            Action,
            user=manager,
            # Planned within a month of the report (the plan is due in 70 working days).
            recorded_at=lambda a: _at(published[a.area_for_improvement_id], days=21),
        )
        self.counts["actions"] += len(actions)

    def _updates(
        self, findings, inspections, rng, officer, manager, *, since, budget: int | None = None
    ) -> int:
        """Each area is reported on monthly from the month after its report until its cycle ends
        (the next graded inspection starts) or last month, from `since`; at most `budget`."""
        graded_starts = sorted(i.start_date for i in inspections if i.is_graded)
        by_pk = {i.pk: i for i in inspections}
        updates = []
        for finding in findings:
            inspection = by_pk[finding.inspection_id]
            if inspection.published_date is None:
                continue
            if budget is not None and len(updates) >= budget:
                break
            later = [s for s in graded_starts if s > inspection.start_date]
            cycle_end = add_months(later[0].replace(day=1), -1) if later else self.last_month
            first = max(add_months(inspection.published_date.replace(day=1), 1), since)
            months = []
            month = first
            # A plan is reported on for three years at most, or until the next graded inspection.
            last = min(cycle_end, self.last_month, add_months(first, 35))
            while month <= last:
                months.append(month)
                month = add_months(month, 1)
            journey = rag_journey(len(months), rng)
            for month, rag in zip(months, journey, strict=True):
                is_last = month == self.last_month
                status = UpdateStatus.APPROVED
                if is_last:
                    status = rng.choices(
                        [
                            None,
                            UpdateStatus.DRAFT,
                            UpdateStatus.SUBMITTED,
                            UpdateStatus.RETURNED,
                            UpdateStatus.APPROVED,
                        ],
                        weights=[10, 15, 25, 5, 45],
                    )[0]
                    if status is None:
                        break  # not started yet: this one is overdue
                written = datetime.datetime.combine(
                    add_months(month, 1), datetime.time(10), tzinfo=datetime.UTC
                )
                reviewed = status in (UpdateStatus.APPROVED, UpdateStatus.RETURNED)
                updates.append(
                    ProgressUpdate(
                        area_for_improvement=finding,
                        month=month,
                        rag=rag,
                        what_was_done=rng.choice(DONE).format(
                            topic=finding.title[:60].lower(), n=rng.randint(8, 40)
                        ),
                        impact=IMPACT[rag].format(p=rng.randint(30, 90)),
                        evidence=f"Audit results for {month:%B %Y}; performance scorecard.",
                        next_steps=NEXT[rag],
                        author=officer,
                        status=status,
                        submitted_at=written if status != UpdateStatus.DRAFT else None,
                        reviewed_by=manager if reviewed else None,
                        reviewed_at=written + datetime.timedelta(days=3) if reviewed else None,
                        review_comment="Add the audit figures for the month."
                        if status == UpdateStatus.RETURNED
                        else "",
                    )
                )
                if rag == Rag.COMPLETE or (budget is not None and len(updates) >= budget):
                    break  # once complete, monthly reporting on the area stops
        bulk_insert_with_history(
            updates, ProgressUpdate, user=officer, recorded_at=update_recorded_at
        )
        self.counts["updates"] += len(updates)
        return len(updates)
