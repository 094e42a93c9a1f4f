"""What Ofsted asks of councils like us: every area for improvement in the national history with
its theme (inspections.themes, docs/themes.md), how often each theme was raised nationally and
among an authority's neighbours, where it was raised and not raised again at the authority's
next graded inspection, and the authority's own areas for improvement with their themes.

Built from what Ofsted published only and cached like the other comparison pages, under the
published stamp (dashboards.benchmark_page).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from django.template.loader import render_to_string

from accounts.models import LocalAuthority
from dashboards import benchmark_page, benchmarks, snapshots
from inspections import themes
from inspections.models import GRADED_EVENT_TYPES, Finding, FindingKind


@dataclass(frozen=True)
class TaggedArea:
    """An area for improvement of a graded inspection, with its theme."""

    pk: int
    inspection_id: int
    text: str
    theme: str  # a themes.Theme code


@dataclass(frozen=True)
class NotRaisedAgain:
    """A theme raised at one graded inspection and not at the authority's next one."""

    authority_id: int
    raised_at: object  # benchmarks.GradedInspection
    next_inspection: object  # benchmarks.GradedInspection


@dataclass(frozen=True)
class NationalThemes:
    by_inspection: dict[int, list[TaggedArea]]  # graded inspection pk -> its areas, in order
    not_raised_again: dict[str, list[NotRaisedAgain]]  # theme -> cases, newest first
    followed: dict[str, int]  # theme -> times raised at an inspection that has a next one


def national_themes(stamps, *, today: datetime.date) -> NationalThemes:
    """Every area for improvement of every graded inspection since 2013, tagged; cached under
    the published stamp. One query to build, beside the national picture's four."""
    data = benchmark_page.national(stamps, today=today)

    def build() -> NationalThemes:
        graded = {i.pk: i for history in data.history.values() for i in history}
        by_inspection: dict[int, list[TaggedArea]] = defaultdict(list)
        for pk, inspection_id, text in (
            Finding.objects.filter(
                kind=FindingKind.AREA_FOR_IMPROVEMENT,
                inspection__event_type__in=GRADED_EVENT_TYPES,
                inspection__start_date__gte=benchmarks.SINCE,
            )
            .order_by("inspection_id", "order", "pk")
            .values_list("pk", "inspection_id", "text")
        ):
            if inspection_id not in graded:
                continue  # recorded, not yet judged
            by_inspection[inspection_id].append(
                TaggedArea(pk, inspection_id, text, themes.classify(text).code)
            )
        not_raised_again: dict[str, list[NotRaisedAgain]] = defaultdict(list)
        followed: dict[str, int] = defaultdict(int)
        for authority_id, history in data.history.items():
            # Only inspections with areas for improvement recorded: one without any tells
            # nothing about what was raised.
            with_areas = [i for i in history if by_inspection.get(i.pk)]
            for raised_at, following in pairwise(with_areas):
                raised = {a.theme for a in by_inspection[raised_at.pk]}
                again = {a.theme for a in by_inspection[following.pk]}
                for theme in raised:
                    followed[theme] += 1
                    if theme not in again:
                        not_raised_again[theme].append(
                            NotRaisedAgain(authority_id, raised_at, following)
                        )
        for cases in not_raised_again.values():
            cases.sort(key=lambda c: c.next_inspection.start_date, reverse=True)
        return NationalThemes(dict(by_inspection), dict(not_raised_again), dict(followed))

    return snapshots.get_or_build("themes-national", stamps, today, build)


@dataclass(frozen=True)
class ThemeRow:
    theme: themes.Theme
    national: int  # areas for improvement
    national_authorities: int
    neighbours: int
    own: int
    followed: int
    not_raised_again: int


def themes_body(authority: LocalAuthority, theme_code: str | None, *, today: datetime.date) -> str:
    """The themes page's body for `authority` (and the cases of one theme, when asked)."""
    stamps = benchmark_page.published_stamp()
    variant = (authority.pk, theme_code)
    if html := snapshots.cached("themes-page", stamps, today, variant):
        return html
    data = benchmark_page.national(stamps, today=today)
    tagged = national_themes(stamps, today=today)
    owner = {i.pk: i.authority_id for h in data.history.values() for i in h}
    neighbour_ids = set(data.neighbours.get(authority.pk, []))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    authorities: dict[str, set[int]] = defaultdict(set)
    for inspection_id, areas in tagged.by_inspection.items():
        authority_id = owner[inspection_id]
        for area in areas:
            counts[area.theme]["national"] += 1
            authorities[area.theme].add(authority_id)
            if authority_id in neighbour_ids:
                counts[area.theme]["neighbours"] += 1
            if authority_id == authority.pk:
                counts[area.theme]["own"] += 1
    rows = [
        ThemeRow(
            theme,
            counts[theme.code]["national"],
            len(authorities[theme.code]),
            counts[theme.code]["neighbours"],
            counts[theme.code]["own"],
            tagged.followed.get(theme.code, 0),
            len(tagged.not_raised_again.get(theme.code, [])),
        )
        for theme in themes.THEMES
    ]
    own_inspections = [
        (
            inspection,
            [
                (area.text, themes.BY_CODE[area.theme].name)
                for area in tagged.by_inspection.get(inspection.pk, [])
            ],
        )
        for inspection in reversed(data.history.get(authority.pk, []))
    ]
    chosen = themes.BY_CODE.get(theme_code) if theme_code else None
    cases = []
    if chosen is not None:
        found = tagged.not_raised_again.get(chosen.code, [])
        # Neighbours first, then the rest; newest first in each.
        cases = [c for c in found if c.authority_id in neighbour_ids] + [
            c for c in found if c.authority_id not in neighbour_ids
        ]
    context = {
        "authority": data.authorities[authority.pk],
        "rows": rows,
        "own_inspections": own_inspections,
        "chosen": chosen,
        "cases": [
            (data.authorities[c.authority_id], c, c.authority_id in neighbour_ids) for c in cases
        ],
    }
    html = render_to_string("dashboards/themes.html#body", context)
    snapshots.store("themes-page", stamps, today, html, variant)
    return html
