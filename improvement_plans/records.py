"""The records the progress rules (improvement_plans.rules) run on, fetched in a fixed number of
queries: from the live tables for today, or as they stood at the end of an earlier day.

*As at* a day (docs/domain.md, "Published and internal data"):
- What the authority records itself (monthly updates and their approval or return, actions and
  their completion, the plan and when it was sent, when it published Ofsted's report) is taken
  from the history as it stood at the end of that day (Europe/London): every one of those
  records keeps its history (django-simple-history), so the picture is rebuilt from the latest
  historical row of each at that moment. Anything the authority records later (a new or
  backfilled update, an approval or return, an edit, an action completed, a deadline recorded as
  met) is not in it, so an as-at picture never changes once its day is over.
- What Ofsted published (its inspections, their judgements and areas for improvement) is a fact
  with its own dates: the inspections that had started by that day, as the tracker holds them. A
  council that starts using the tracker records its past inspections after the event, and they
  were just as true then; a correction to what the report says corrects every picture.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils import timezone

from accounts.models import LocalAuthority
from improvement_plans import rules
from improvement_plans.models import (
    Action,
    ActionStatus,
    ImprovementPlan,
    ProgressUpdate,
    Rag,
    UpdateStatus,
)
from inspections.models import Finding, FindingKind, Framework, Inspection, Judgement, JudgementArea


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of `day` in the service's time zone."""
    start_of_next = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(start_of_next) - datetime.timedelta(microseconds=1)


@functools.cache
def _historical_model(model):
    """simple-history's model of `model`'s history (`model.history` builds a new manager class,
    with its methods looked up afresh, each time it is read)."""
    return model.history.model


def as_of_rows(
    model,
    moment: datetime.datetime,
    columns: Sequence[str],
    *,
    where: str,
    values: Iterable,
    order_by: Sequence[str] = (),
) -> list[tuple]:
    """The `columns` (field attnames) of `model`'s records as they stood at `moment`, of those
    whose `where` column was then one of `values`, in `order_by` order: the same records as
    simple-history's `model.history.as_of(moment)` (each record's latest historical row at or
    before `moment`, unless that row records its deletion; two rows at the same latest moment
    both count), read as plain rows.

    One query written for PostgreSQL and SQLite alike, without the ORM's cost of building it
    (several milliseconds for the correlated subquery, more than the query takes to run). The
    latest row of each record is found by a correlated MAX over its own rows, which the
    historical tables' (id, history_date) index (core.models.AsAtHistoricalRecords) answers by
    reading one index entry; PostgreSQL plans it without parallel workers, which it chose for
    simple-history's NOT EXISTS once records have a few versions each. The values come back as
    the ORM would give them (its converters: SQLite's dates and aware datetimes). No query for
    no values, as the ORM's `__in=[]`."""
    values = list(values)
    if not values:
        return []
    history = _historical_model(model)
    connection = connections[router.db_for_read(history)]
    quote = connection.ops.quote_name
    table = quote(history._meta.db_table)
    pk = quote(history._meta.get_field(model._meta.pk.attname).column)
    fields = [history._meta.get_field(name) for name in columns]

    def column(name: str) -> str:
        return "h." + quote(history._meta.get_field(name).column)

    sql = (
        f"SELECT {', '.join(column(f.attname) for f in fields)} FROM {table} h"  # noqa: S608 - names from the models
        f" WHERE {column(where)} IN ({', '.join(['%s'] * len(values))})"
        " AND h.history_type <> %s"
        f" AND h.history_date = (SELECT MAX(later.history_date) FROM {table} later"
        f" WHERE later.{pk} = h.{pk} AND later.history_date <= %s)"
    )
    if order_by:
        sql += f" ORDER BY {', '.join(column(name) for name in order_by)}"
    params = [*values, "-", connection.ops.adapt_datetimefield_value(moment)]
    converters = []
    for index, model_field in enumerate(fields):
        expression = model_field.get_col("h")
        found = connection.ops.get_db_converters(expression)
        found += expression.get_db_converters(connection)
        if found:
            converters.append((index, found, expression))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for index, found, expression in converters:
            value = row[index]
            for converter in found:
                value = converter(value, expression, connection)
            row[index] = value
        converted.append(tuple(row))
    return converted


@dataclass(slots=True, eq=False)
class UpdateRecord:
    """A monthly update as the rules and the pages read it: its fields, without the cost of a
    model instance (a dashboard reads hundreds, the national portfolio tens of thousands, and
    from the history each would be built twice). Equal to the update it records."""

    FIELDS = (
        "id",
        "area_for_improvement_id",
        "month",
        "rag",
        "status",
        "author_id",
        "submitted_at",
        "reviewed_by_id",
        "reviewed_at",
        "review_comment",
    )
    # Read only with `detail` (committee reports quote them).
    NARRATIVE = ("what_was_done", "impact", "evidence", "next_steps")

    pk: int
    area_for_improvement_id: int
    month: datetime.date
    rag: str
    status: str
    author_id: int
    submitted_at: datetime.datetime | None
    reviewed_by_id: int | None
    reviewed_at: datetime.datetime | None
    review_comment: str
    what_was_done: str = ""
    impact: str = ""
    evidence: str = ""
    next_steps: str = ""
    author: object = None
    reviewed_by: object = None
    area_for_improvement: object = None

    def get_status_display(self) -> str:
        return UpdateStatus(self.status).label

    def get_rag_display(self) -> str:
        return Rag(self.rag).label

    def __eq__(self, other) -> bool:
        if isinstance(other, (UpdateRecord, ProgressUpdate)):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("update", self.pk))


@dataclass(slots=True, eq=False)
class ActionRecord:
    """An action as the rules and the pages read it (see UpdateRecord)."""

    FIELDS = (
        "id",
        "area_for_improvement_id",
        "description",
        "owner",
        "due_date",
        "status",
        "completed_on",
        "order",
    )

    pk: int
    area_for_improvement_id: int
    description: str
    owner: str
    due_date: datetime.date
    status: str
    completed_on: datetime.date | None
    order: int
    area_for_improvement: object = None

    def get_status_display(self) -> str:
        return ActionStatus(self.status).label

    def __eq__(self, other) -> bool:
        if isinstance(other, (ActionRecord, Action)):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("action", self.pk))


@dataclass
class Records:
    """One or more authorities' records on `day`, with the rules applied to every current area."""

    day: datetime.date
    from_history: bool
    authorities: dict[int, LocalAuthority]
    inspections: dict[int, list[Inspection]]  # per authority, oldest first, started by `day`
    cycle: dict[int, list[Inspection]]  # per authority: its current cycle
    afis: list[Finding]  # current areas (or the one inspection's areas), in order
    updates: dict[int, list[UpdateRecord]]  # per area, oldest month first
    actions: dict[int, list[ActionRecord]]  # per area, in order
    plans: dict[int, ImprovementPlan]  # per inspection of the cycle
    judgements: dict[int, dict[str, Judgement]] = field(default_factory=dict)  # per inspection
    progress: dict[int, rules.AfiProgress] = field(default_factory=dict)  # per area
    _by_authority: dict | None = field(default=None, repr=False)

    def afis_of(self, authority_id: int) -> list[Finding]:
        if self._by_authority is None:
            self._by_authority = defaultdict(list)
            for area in self.afis:
                self._by_authority[area.inspection.authority_id].append(area)
        return self._by_authority.get(authority_id, [])

    def counts(self, authority_id: int | None = None) -> rules.Counts:
        areas = self.afis if authority_id is None else self.afis_of(authority_id)
        return rules.counts(self.progress[a.pk] for a in areas)


def load(
    *,
    authority_ids,
    day: datetime.date,
    history: bool,
    lead=None,
    inspection_id: int | None = None,
    judgements: bool = False,
    detail: bool = True,
    narrative: bool | None = None,
    authorities: dict[int, LocalAuthority] | None = None,
) -> Records:
    """The authorities' records on `day`: from the history as at the end of `day` when `history`
    (an earlier day), else the live rows. The areas are the current cycle's (those `lead` leads,
    if given), or the areas of inspection `inspection_id`.

    Eight queries whatever the data size (nine with `judgements`): authorities, frameworks,
    judgement areas, inspections, areas, updates, actions, plans, and the people named. Without
    `detail` (counts only, as the portfolio needs) the actions, plans and people are not read:
    five queries (six with `judgements`). As at an earlier day, one more: when the authority
    published each report, as recorded then. The updates' narrative (what was done, impact,
    evidence, next steps) is read with `detail` unless `narrative` says otherwise (the dashboards
    show none of it). `authorities` (pk: authority), when the caller has already read them, saves
    reading them again: one query fewer.
    """
    moment = end_of_day(day) if history else None
    narrative = detail if narrative is None else narrative
    authority_ids = list(authority_ids)
    if authorities is None:
        authorities = LocalAuthority.objects.in_bulk(authority_ids)
    frameworks = Framework.objects.in_bulk()
    judgement_areas = JudgementArea.objects.in_bulk()
    inspections: dict[int, list[Inspection]] = defaultdict(list)
    by_pk: dict[int, Inspection] = {}
    for inspection in Inspection.objects.filter(
        authority_id__in=authority_ids, start_date__lte=day
    ).order_by("start_date", "pk"):
        inspection.framework = frameworks[inspection.framework_id]
        inspection.authority = authorities[inspection.authority_id]
        inspections[inspection.authority_id].append(inspection)
        by_pk[inspection.pk] = inspection
    if moment is not None and by_pk:
        # When the authority published the report is its own record: as it stood then.
        published_then = dict(
            as_of_rows(
                Inspection,
                moment,
                ("id", "report_published_by_authority_on"),
                where="id",
                values=by_pk,
            )
        )
        for pk, inspection in by_pk.items():
            inspection.report_published_by_authority_on = published_then.get(pk)
    cycle = {pk: rules.current_cycle(items) for pk, items in inspections.items()}
    if inspection_id is not None:
        wanted = [inspection_id] if inspection_id in by_pk else []
    else:
        wanted = [i.pk for items in cycle.values() for i in items]

    area_rows = Finding.objects.filter(inspection_id__in=wanted)
    area_rows = area_rows.exclude(kind=FindingKind.STRENGTH)
    if lead is not None:
        area_rows = area_rows.filter(lead_id=lead.pk)
    areas = sorted(
        area_rows,
        key=lambda a: (by_pk[a.inspection_id].start_date, a.inspection_id, a.kind, a.order, a.pk),
    )
    area_ids = [a.pk for a in areas]
    update_fields = (*UpdateRecord.FIELDS, *(UpdateRecord.NARRATIVE if narrative else ()))
    if moment is not None:
        update_rows = as_of_rows(
            ProgressUpdate,
            moment,
            update_fields,
            where="area_for_improvement_id",
            values=area_ids,
            order_by=("month", "id"),
        )
    else:
        update_rows = (
            ProgressUpdate.objects.filter(area_for_improvement_id__in=area_ids)
            .order_by("month", "id")
            .values_list(*update_fields)
        )
    updates: dict[int, list[UpdateRecord]] = defaultdict(list)
    for row in update_rows:
        update = UpdateRecord(*row)
        updates[update.area_for_improvement_id].append(update)
    actions: dict[int, list[ActionRecord]] = defaultdict(list)
    plans: dict[int, ImprovementPlan] = {}
    people: dict = {}
    if detail:
        action_order = ("order", "due_date", "id")
        if moment is not None:
            action_rows = as_of_rows(
                Action,
                moment,
                ActionRecord.FIELDS,
                where="area_for_improvement_id",
                values=area_ids,
                order_by=action_order,
            )
        else:
            action_rows = (
                Action.objects.filter(area_for_improvement_id__in=area_ids)
                .order_by(*action_order)
                .values_list(*ActionRecord.FIELDS)
            )
        for row in action_rows:
            action = ActionRecord(*row)
            actions[action.area_for_improvement_id].append(action)
        plan_inspections = wanted if inspection_id is not None else list(by_pk)
        if moment is not None:
            # Instances, as simple-history's as_of gives them: the plan's fields as they stood.
            names = [f.attname for f in ImprovementPlan._meta.concrete_fields]
            found_plans = [
                ImprovementPlan(**dict(zip(names, row, strict=True)))
                for row in as_of_rows(
                    ImprovementPlan,
                    moment,
                    names,
                    where="inspection_id",
                    values=plan_inspections,
                )
            ]
        else:
            found_plans = ImprovementPlan.objects.filter(inspection_id__in=plan_inspections)
        plans = {plan.inspection_id: plan for plan in found_plans}
        named = {a.lead_id for a in areas if a.lead_id}
        for items in updates.values():
            named |= {u.author_id for u in items} | {u.reviewed_by_id for u in items}
        named.discard(None)
        people = get_user_model().objects.in_bulk(named)
    judged: dict[int, dict[str, Judgement]] = defaultdict(dict)
    if judgements:
        for judgement in Judgement.objects.filter(inspection_id__in=list(by_pk)):
            judgement.area = judgement_areas[judgement.area_id]
            judged[judgement.inspection_id][judgement.area.code] = judgement
        for by_code in judged.values():
            ordered = sorted(by_code.values(), key=lambda j: j.area.order)
            by_code.clear()
            by_code.update((j.area.code, j) for j in ordered)

    for area in areas:
        area.inspection = by_pk[area.inspection_id]
        area.judgement_area = judgement_areas.get(area.judgement_area_id)
        area.lead = people.get(area.lead_id)
    for items in updates.values():
        for update in items:
            update.author = people.get(update.author_id)
            update.reviewed_by = people.get(update.reviewed_by_id)
    records = Records(
        day=day,
        from_history=history,
        authorities=authorities,
        inspections=dict(inspections),
        cycle=cycle,
        afis=areas,
        updates=dict(updates),
        actions=dict(actions),
        plans=plans,
        judgements=dict(judged),
    )
    current = {i.pk for items in cycle.values() for i in items}
    for area in areas:
        inspection = area.inspection
        # Only the current cycle's areas are due: a superseded inspection's areas are history.
        published = inspection.published_date if inspection.pk in current else None
        records.progress[area.pk] = rules.afi_progress(
            area,
            records.updates.get(area.pk, []),
            day=day,
            published=published,
            reporting_from=inspection.authority.reporting_from,
        )
    return records


def waiting_for_approval(*, authority_ids, day: datetime.date) -> list[ProgressUpdate]:
    """Submitted updates of the authorities' current areas, oldest submission first (the review
    queue). Two queries: the inspections (for the current cycle), the updates."""
    inspections: dict[int, list] = defaultdict(list)
    for row in (
        Inspection.objects.filter(authority_id__in=authority_ids, start_date__lte=day)
        .order_by()
        .values_list("pk", "authority_id", "start_date", "event_type", named=True)
    ):
        inspections[row.authority_id].append(row)
    current = [i.pk for items in inspections.values() for i in rules.current_cycle(items)]
    return list(
        ProgressUpdate.objects.filter(
            area_for_improvement__inspection_id__in=current,
            area_for_improvement__kind__in=[
                FindingKind.AREA_FOR_IMPROVEMENT,
                FindingKind.PRIORITY_ACTION,
            ],
            status__in=rules.WAITING_STATUSES,
        )
        .select_related("area_for_improvement__inspection__authority", "author", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def returned_to_officers(*, authority_ids, day: datetime.date) -> list:
    """The current areas whose update a manager returned and its officer has not submitted again
    (rules: `AfiProgress.returned`, open areas only), with their progress, longest waiting
    first. One query for the authorities with returned updates; when there are any, `load`
    (without detail) of just those authorities."""
    with_returns = set(
        ProgressUpdate.objects.filter(
            area_for_improvement__inspection__authority_id__in=authority_ids,
            status=UpdateStatus.RETURNED,
        )
        .order_by()
        .values_list("area_for_improvement__inspection__authority_id", flat=True)
        .distinct()
    )
    if not with_returns:
        return []
    found = load(authority_ids=with_returns, day=day, history=False, detail=False)
    areas = []
    for area in found.afis:
        area.progress = found.progress[area.pk]
        if area.progress.is_returned:
            areas.append(area)
    areas.sort(
        key=lambda a: (a.progress.returned.reviewed_at is None, a.progress.returned.reviewed_at)
    )
    return areas
