"""The comparison pages' bodies (an authority beside its statistical neighbours; who improved),
built from what Ofsted published and cached like the dashboards (dashboards.snapshots).

Each page compares an authority with others (its neighbours, its region, England), so it can
change when anything Ofsted published changes anywhere, and with nothing an authority records
itself. It is cached under the one published stamp (dashboards.PublishedVersion, set by database
triggers on every change to authorities, neighbours, inspections, judgements, findings and
frameworks: one query reads it), and so is the national history it is built from, once for all
pages. A month-end rush of monthly updates leaves them cached; a new inspection anywhere has the
next viewer build afresh: four queries and some arithmetic over every graded inspection.

What is cached depends only on published data, the date and the page's choices: never on who is
looking (anyone signed in may read every authority's comparison page).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.template.loader import render_to_string

from accounts.models import LocalAuthority, StatisticalNeighbour
from core.charts import Chart, stacked_bars_svg
from dashboards import benchmarks, snapshots
from dashboards.models import PublishedVersion
from inspections.charts import GRADE_ORDER, GRADE_STYLE, HistoryPoint, judgement_history_svg


@dataclass(frozen=True)
class AuthorityFacts:
    pk: int
    name: str
    region: str
    la_type: str


@dataclass(frozen=True)
class National:
    """Every authority, its neighbours, and every graded inspection since 2013: what every
    comparison page is built from."""

    authorities: dict[int, AuthorityFacts]
    neighbours: dict[int, list[int]]  # closest first
    history: dict[int, list[benchmarks.GradedInspection]]


def published_stamp() -> list[tuple[int, int | None]]:
    """The published stamp, as the cache keys take stamps. One query."""
    return [(0, PublishedVersion.objects.values_list("version", flat=True).first())]


def national(stamps, *, today: datetime.date, rebuild: bool = False) -> National:
    """The national picture for this stamp (`published_stamp`), cached. Four queries to
    build."""

    def build() -> National:
        authorities = {
            pk: AuthorityFacts(pk, name, region, la_type)
            for pk, name, region, la_type in LocalAuthority.objects.order_by().values_list(
                "pk", "name", "region", "la_type"
            )
        }
        neighbours: dict[int, list[int]] = {}
        for authority_id, neighbour_id in StatisticalNeighbour.objects.order_by(
            "authority_id", "rank"
        ).values_list("authority_id", "neighbour_id"):
            neighbours.setdefault(authority_id, []).append(neighbour_id)
        return National(authorities, neighbours, benchmarks.graded_history())

    return snapshots.get_or_build("benchmark-national", stamps, today, build, rebuild=rebuild)


# --- The benchmark page ------------------------------------------------------------------------


@dataclass(frozen=True)
class LatestRow:
    authority: AuthorityFacts
    is_own: bool
    latest: benchmarks.GradedInspection | None

    @property
    def cells(self) -> list[str | None]:
        """The latest inspection's grade in each common column (None: not judged)."""
        grades = self.latest.grades if self.latest else {}
        return [grades.get(column) for column, _ in benchmarks.COLUMNS]


def _authorities(count: int) -> str:
    return f"{count} authorit{'y' if count == 1 else 'ies'}"


def _by_year_chart(rows, *, chart_id: str, title: str) -> Chart:
    return stacked_bars_svg(
        rows,
        keys=(*GRADE_ORDER, None),
        styles=GRADE_STYLE,
        chart_id=chart_id,
        title=title,
        counted="authorities counted once a year",
        group_heading="Year",
        groups_name="years",
    )


def benchmark_body(
    authority: LocalAuthority, *, today: datetime.date, rebuild: bool = False
) -> str:
    """The benchmark page's body for `authority`: cached under the published stamp (built
    again, cached or not, with `rebuild`)."""
    stamps = published_stamp()
    if not rebuild and (html := snapshots.cached("benchmark-page", stamps, today, (authority.pk,))):
        return html
    data = national(stamps, today=today)
    own = data.authorities[authority.pk]
    neighbours = [data.authorities[pk] for pk in data.neighbours.get(authority.pk, [])]
    compared = [own, *neighbours]
    latest_rows = [
        LatestRow(
            facts,
            facts.pk == own.pk,
            (data.history.get(facts.pk) or [None])[-1],
        )
        for facts in compared
    ]
    trajectories = [
        (
            facts,
            judgement_history_svg(
                [
                    HistoryPoint(
                        start_date=inspection.start_date,
                        label=inspection.label,
                        grade=inspection.grades.get(benchmarks.HEADLINE),
                    )
                    for inspection in data.history.get(facts.pk, [])
                ],
                chart_id=f"trajectory-{facts.pk}",
                title=f"{facts.name}: overall effectiveness at each graded inspection since 2013",
                judged="overall effectiveness",
            ),
        )
        for facts in compared
    ]
    region_ids = [pk for pk, facts in data.authorities.items() if facts.region == own.region]
    region_chart = _by_year_chart(
        benchmarks.standing_grades_by_year(data.history, region_ids, today=today),
        chart_id="region-by-year",
        title=f"{own.region}, {_authorities(len(region_ids))}: overall effectiveness at the end "
        "of each year",
    )
    england_chart = _by_year_chart(
        benchmarks.standing_grades_by_year(data.history, list(data.authorities), today=today),
        chart_id="england-by-year",
        title=f"England, {_authorities(len(data.authorities))}: overall effectiveness at the end "
        "of each year",
    )
    context = {
        "authority": own,
        "columns": benchmarks.COLUMNS,
        "latest_rows": latest_rows,
        "trajectories": trajectories,
        "region_chart": region_chart,
        "england_chart": england_chart,
        "today": today,
    }
    html = render_to_string("dashboards/benchmark.html#body", context)
    snapshots.store("benchmark-page", stamps, today, html, (authority.pk,))
    return html


# --- Who improved ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImprovedGroup:
    """One list of the page: a heading, and the moves of the authorities in it."""

    key: str
    heading: str
    improvements: list[tuple[AuthorityFacts, benchmarks.Improvement]]


def improved_body(authority: LocalAuthority, column: str, *, today: datetime.date) -> str:
    """Who got out of inadequate or requires improvement, in `column` (a key of
    benchmarks.COLUMNS): the authority itself, its neighbours, other authorities of its type,
    then every other authority. Cached under the published stamp."""
    stamps = published_stamp()
    variant = (authority.pk, column)
    if html := snapshots.cached("improved-page", stamps, today, variant):
        return html
    data = national(stamps, today=today)
    own = data.authorities[authority.pk]
    moves = benchmarks.improvements(data.history, column)
    neighbour_ids = data.neighbours.get(own.pk, [])
    shown: set[int] = set()

    def group(key: str, heading: str, ids) -> ImprovedGroup:
        ids = set(ids) - shown
        shown.update(ids)
        return ImprovedGroup(
            key,
            heading,
            [(data.authorities[m.authority_id], m) for m in moves if m.authority_id in ids],
        )

    groups = [
        group("own", own.name, [own.pk]),
        group("neighbours", f"{own.name}'s statistical neighbours", neighbour_ids),
        group(
            "same-type",
            f"Other authorities of the same type ({own.la_type})",
            [pk for pk, facts in data.authorities.items() if facts.la_type == own.la_type],
        ),
        group("others", "Every other authority", list(data.authorities)),
    ]
    context = {
        "authority": own,
        "column": column,
        "column_name": benchmarks.COLUMN_NAMES[column],
        "groups": groups,
        "total": len(moves),
    }
    html = render_to_string("dashboards/improved.html#body", context)
    snapshots.store("improved-page", stamps, today, html, variant)
    return html


def warm(*, today: datetime.date, rebuild: bool = False) -> list[float]:
    """Builds every authority's benchmark page into the cache ahead of its first viewer (with
    `rebuild`, the national picture too). Returns the seconds each page took to build."""
    national(published_stamp(), today=today, rebuild=rebuild)
    seconds = []
    for the_authority in LocalAuthority.objects.order_by("name"):
        started = time.perf_counter()
        benchmark_body(the_authority, today=today, rebuild=rebuild)
        seconds.append(time.perf_counter() - started)
    return seconds
